import type { ReactiveController } from 'lit';
import type { ConversationController } from '../../controllers/conversation.controller.js';
import type { SessionsController } from '../../controllers/sessions.controller.js';
import type { ComponentHost } from '../component-host.js';
import { SessionNewEvent, SessionPickEvent } from './session-picker.events.js';

const NEAR_EDGE_PX = 48;

type FocusTarget = 'active' | 'first' | 'last' | number;

/**
 * The session picker's own state and behaviour: whether the dropdown is open, which item is being renamed or
 * confirmed for deletion, keyboard navigation of the listbox (roving tabindex), focus coming back to the picker,
 * closing on a pointer outside, and paging in more sessions near the end of the list. It renders nothing itself:
 * `session-list.template.ts` draws what it holds into the element's shadow root, so the parts stay on `<ai-chat>`.
 */
export class SessionPickerController implements ReactiveController {
  isOpen = false;
  editingId: string | null = null;
  confirmingId: string | null = null;
  /** The session whose rename and delete buttons have keyboard focus (Tab from its option). */
  actionsId: string | null = null;

  readonly #host: ComponentHost;
  readonly #sessions: SessionsController;
  readonly #conversation: ConversationController;
  readonly #handleOutsidePointer = (event: PointerEvent) => {
    // Only this element's own dropdown and picker count: another <ai-chat> of the page has the same classes.
    const isInside = (node: EventTarget) =>
      node instanceof HTMLElement && node.getRootNode() === this.#host.renderRoot && (node.classList.contains('dropdown') || node.classList.contains('picker'));
    if (!event.composedPath().some(isInside)) this.close(false);
  };

  constructor(host: ComponentHost, sessions: SessionsController, conversation: ConversationController) {
    this.#host = host;
    this.#sessions = sessions;
    this.#conversation = conversation;
    host.addController(this);
  }

  hostDisconnected(): void {
    window.removeEventListener('pointerdown', this.#handleOutsidePointer, true);
  }

  /** Opens the dropdown, focusing an option unless `focus` is `none`. */
  open(focus: 'active' | 'first' | 'last' | 'none'): void {
    this.isOpen = true;
    // Sessions made, renamed or deleted in another browser show up when the visitor looks.
    void this.#sessions.refreshIfReady();
    window.addEventListener('pointerdown', this.#handleOutsidePointer, true);
    this.#host.requestUpdate();
    if (focus !== 'none') void this.#host.updateComplete.then(() => this.focusOption(focus));
  }

  /** Closes the dropdown (ending a rename or delete confirmation); `returnFocus` puts focus back on the picker. */
  close(returnFocus: boolean): void {
    if (!this.isOpen) return;
    Object.assign(this, { isOpen: false, editingId: null, confirmingId: null, actionsId: null });
    window.removeEventListener('pointerdown', this.#handleOutsidePointer, true);
    this.#host.requestUpdate();
    if (returnFocus) void this.#host.updateComplete.then(() => this.#query<HTMLButtonElement>('.picker')?.focus());
  }

  /** The options of the listbox, in order. */
  options(): HTMLElement[] {
    return [...this.#host.renderRoot.querySelectorAll<HTMLElement>('[role="option"]')];
  }

  /** Moves focus (and the roving tabindex) to an option; the last one pages in more sessions. */
  focusOption(which: FocusTarget): void {
    const options = this.options();
    if (options.length === 0) return;
    const activeIndex = options.findIndex((option) => option.getAttribute('aria-selected') === 'true');
    const index = which === 'first' ? 0 : which === 'last' ? options.length - 1 : which === 'active' ? Math.max(0, activeIndex) : which;
    const target = options[Math.min(Math.max(index, 0), options.length - 1)];
    if (this.actionsId) {
      this.actionsId = null;
      this.#host.requestUpdate();
    }
    options.forEach((option) => option.setAttribute('tabindex', option === target ? '0' : '-1'));
    target?.focus();
    if (which === 'last' || index >= options.length - 1) void this.#sessions.loadMore();
  }

  readonly handlePickerClick = () => (this.isOpen ? this.close(false) : this.open('none'));

  readonly handlePickerKeydown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp' || ((event.key === 'Enter' || event.key === ' ') && !this.isOpen)) {
      event.preventDefault();
      this.open(event.key === 'ArrowUp' ? 'last' : 'active');
    }
  };

  readonly handleSelect = (event: Event) => {
    if (this.editingId || this.confirmingId) return;
    const sessionId = idOf(event);
    void this.#conversation.select(sessionId);
    event.currentTarget?.dispatchEvent(new SessionPickEvent(sessionId));
    this.close(true);
  };

  readonly handleNew = (event: Event) => {
    const button = event.currentTarget as HTMLElement;
    this.close(false);
    void this.#conversation.newSession().then(() => button.dispatchEvent(new SessionNewEvent()));
  };

  readonly handleItemKeydown = (event: KeyboardEvent) => {
    if (event.target !== event.currentTarget) return;
    const index = this.options().indexOf(event.currentTarget as HTMLElement);
    const moves: Record<string, FocusTarget> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 'first', End: 'last' };
    const move = moves[event.key];
    if (move !== undefined) {
      event.preventDefault();
      this.focusOption(move);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.handleSelect(event);
    } else if (event.key === 'F2') {
      event.preventDefault();
      this.handleRenameStart(event);
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      this.handleDeleteStart(event);
    } else if (event.key === 'Tab' && !event.shiftKey) {
      // Tab reaches the session's rename and delete buttons; Tab from the last of them leaves the dropdown.
      event.preventDefault();
      this.actionsId = idOf(event);
      this.#host.requestUpdate();
      void this.#host.updateComplete.then(() => this.#query<HTMLButtonElement>('.session-actions.keyboard button')?.focus());
    } else if (event.key === 'Tab') {
      this.close(false);
    }
  };

  /** Keys on a session's rename and delete buttons: Tab and Shift+Tab move between them and the option, Escape goes back. */
  readonly handleActionKeydown = (event: KeyboardEvent) => {
    event.stopPropagation();
    const button = event.currentTarget as HTMLElement;
    const buttons = [...(button.parentElement?.querySelectorAll<HTMLElement>('button') ?? [])];
    const index = buttons.indexOf(button);
    const backToOption = () => {
      event.preventDefault();
      const id = this.actionsId;
      this.actionsId = null;
      this.#host.requestUpdate();
      void this.#host.updateComplete.then(() => this.options().find((option) => option.dataset.id === id)?.focus());
    };
    if (event.key === 'Escape') backToOption();
    else if (event.key === 'Tab' && event.shiftKey) {
      if (index > 0) {
        event.preventDefault();
        buttons[index - 1]?.focus();
      } else backToOption();
    } else if (event.key === 'Tab') {
      if (index < buttons.length - 1) {
        event.preventDefault();
        buttons[index + 1]?.focus();
      } else this.close(false);
    }
  };

  /** Keys in a delete confirmation: Escape cancels it (the dropdown stays open, focus back on the session). */
  readonly handleConfirmKeydown = (event: KeyboardEvent) => {
    event.stopPropagation();
    if (event.key !== 'Escape') return;
    event.preventDefault();
    this.#finishEditing();
  };

  readonly handleRenameStart = (event: Event) => {
    event.stopPropagation();
    this.confirmingId = null;
    this.actionsId = null;
    this.editingId = idOf(event);
    this.#host.requestUpdate();
    void this.#host.updateComplete.then(() => {
      const input = this.#query<HTMLInputElement>('.session-rename');
      input?.focus();
      input?.select();
    });
  };

  readonly handleRenameKeydown = (event: KeyboardEvent) => {
    event.stopPropagation();
    if (event.key === 'Enter') void this.#commitRename(event.currentTarget as HTMLInputElement);
    if (event.key === 'Escape') this.#finishEditing();
  };

  readonly handleRenameBlur = (event: FocusEvent) => {
    if (this.editingId) void this.#commitRename(event.currentTarget as HTMLInputElement, false);
  };

  readonly handleDeleteStart = (event: Event) => {
    event.stopPropagation();
    this.editingId = null;
    this.actionsId = null;
    this.confirmingId = idOf(event);
    this.#host.requestUpdate();
    void this.#host.updateComplete.then(() => this.#query<HTMLButtonElement>('.session-confirm .text-button:last-child')?.focus());
  };

  readonly handleDeleteConfirm = (event: Event) => {
    event.stopPropagation();
    const id = idOf(event);
    const index = this.options().findIndex((option) => option.dataset.id === id);
    this.confirmingId = null;
    this.#host.requestUpdate();
    void this.#conversation.delete(id).then(() => this.#host.updateComplete).then(() => this.focusOption(Math.max(0, index - 1)));
  };

  readonly handleDeleteCancel = (event: Event) => {
    event.stopPropagation();
    this.#finishEditing();
  };

  readonly handleLoadMore = () => void this.#sessions.loadMore();

  readonly handleListScroll = (event: Event) => {
    const list = event.currentTarget as HTMLElement;
    if (list.scrollHeight - list.scrollTop - list.clientHeight < NEAR_EDGE_PX) void this.#sessions.loadMore();
  };

  async #commitRename(input: HTMLInputElement, refocus = true): Promise<void> {
    const id = input.dataset.id ?? '';
    const title = input.value;
    this.#finishEditing(refocus);
    await this.#sessions.rename(id, title);
  }

  #finishEditing(refocus = true): void {
    const id = this.editingId ?? this.confirmingId;
    this.editingId = null;
    this.confirmingId = null;
    this.#host.requestUpdate();
    if (refocus) void this.#host.updateComplete.then(() => this.options().find((option) => option.dataset.id === id)?.focus());
  }

  #query<T extends Element>(selector: string): T | null {
    return this.#host.renderRoot.querySelector<T>(selector);
  }
}

/** The session id an item, or one of its buttons, carries in `data-id`. */
function idOf(event: Event): string {
  return (event.currentTarget as HTMLElement).dataset.id ?? '';
}
