import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { hostStyles, panelStyles } from './ai-chat.styles.js';
import { ChatController } from './chat.controller.js';
import type { ChatClientLike } from './chat-client-like.js';
import { renderComposer } from './composer.template.js';
import { createChatClient } from './create-chat-client.js';
import { AiMessageSendEvent, AiOpenChangeEvent } from './events.js';
import { icons } from './icons.js';
import { composerStyles, messageListStyles } from './message-list.styles.js';
import { renderMessageList } from './message-list.template.js';
import { sessionListStyles } from './session-list.styles.js';
import { renderSessionList } from './session-list.template.js';
import { DEFAULT_STRINGS, type AiChatStrings } from './strings.js';

const NEAR_EDGE_PX = 48;

/**
 * An AI chat with its own history of conversations, for any web page.
 *
 * @summary Embeddable AI chat: sessions dropdown, streaming markdown replies, inline or launcher mode.
 *
 * @event ai-ready - The visitor, models and sessions are loaded and the visitor can type.
 * @event ai-session-change - The active session changed; `event.sessionId` (null for a fresh draft).
 * @event ai-message-send - A message is about to be sent; `event.content`. Cancelable.
 * @event ai-response-end - An assistant reply ended; `event.message` (its `status` says how).
 * @event ai-error - Something failed; `event.error` (an SDK error class). The element shows it too.
 * @event ai-open-change - The launcher panel opened or closed; `event.open`.
 *
 * @csspart launcher - The floating button of `mode="launcher"`.
 * @csspart panel - The chat panel.
 * @csspart header - The panel's top bar.
 * @csspart session-picker - The button that opens the sessions dropdown.
 * @csspart session-list - The dropdown's list of sessions (role listbox).
 * @csspart session-item - One session in the list (role option; `aria-selected="true"` when active).
 * @csspart new-session - The button that starts a new session.
 * @csspart model-picker - The model chooser for new sessions.
 * @csspart messages - The message log (role log).
 * @csspart message - Every message, together with `user` or `assistant`.
 * @csspart composer - The box around the input and its buttons.
 * @csspart input - The text area.
 * @csspart send - The send button.
 * @csspart stop - The stop button shown while a reply streams.
 * @csspart error - An error banner or a failed reply's notice.
 *
 * @cssproperty --ai-chat-font-family - Text font. Default: the system UI font.
 * @cssproperty --ai-chat-mono-font-family - Code font. Default: the system monospace font.
 * @cssproperty --ai-chat-font-size - Base text size. Default: 15px.
 * @cssproperty --ai-chat-line-height - Base line height. Default: 1.6.
 * @cssproperty --ai-chat-background - Panel background. Default: #ffffff (dark: #18181b).
 * @cssproperty --ai-chat-surface - Composer and hover background. Default: #f6f6f7 (dark: #232327).
 * @cssproperty --ai-chat-surface-hover - Hovered controls. Default: #ededf0 (dark: #2c2c31).
 * @cssproperty --ai-chat-text - Text colour. Default: #1d1d22 (dark: #ededf0).
 * @cssproperty --ai-chat-text-muted - Secondary text. Default: #5e5e6b (dark: #a3a3ad).
 * @cssproperty --ai-chat-border - Borders and dividers. Default: #e4e4e9 (dark: #34343a).
 * @cssproperty --ai-chat-accent - Brand colour: launcher, send button, links, focus. Default: #4f46e5 (dark: #8b8cf8).
 * @cssproperty --ai-chat-accent-text - Text on the accent colour. Default: #ffffff (dark: #111114).
 * @cssproperty --ai-chat-accent-soft - Active session and focus halo. Default: #eef0ff (dark: #2a2a44).
 * @cssproperty --ai-chat-user-background - The visitor's bubbles. Default: #f0f0f4 (dark: #2c2c33).
 * @cssproperty --ai-chat-user-text - Text in the visitor's bubbles. Default: #1d1d22 (dark: #ededf0).
 * @cssproperty --ai-chat-code-background - Code blocks. Default: #f6f6f7 (dark: #0f0f12).
 * @cssproperty --ai-chat-danger - Errors. Default: #b42318 (dark: #f87171).
 * @cssproperty --ai-chat-danger-soft - Error backgrounds. Default: #fef1f0 (dark: #3a1f22).
 * @cssproperty --ai-chat-radius - Panel and composer corners. Default: 18px.
 * @cssproperty --ai-chat-radius-small - Buttons, items and code corners. Default: 10px.
 * @cssproperty --ai-chat-spacing - Inner padding. Default: 16px.
 * @cssproperty --ai-chat-width - Launcher panel width. Default: 400px.
 * @cssproperty --ai-chat-height - Launcher panel height. Default: 640px.
 * @cssproperty --ai-chat-offset - Launcher distance from the viewport corner. Default: 20px.
 * @cssproperty --ai-chat-z-index - Launcher stacking level. Default: 2147483000.
 * @cssproperty --ai-chat-shadow - Launcher panel and dropdown shadow.
 */
export class AiChat extends LitElement {
  static override styles = [hostStyles, panelStyles, sessionListStyles, messageListStyles, composerStyles];

  /** API base URL of the ai-chat server. Default: the page's origin. */
  @property() server?: string;
  /** The model new sessions start with (an id from `GET /api/models`). Default: the server's default model. */
  @property() model?: string;
  /** `inline` fills its container; `launcher` is a floating button that opens a panel. */
  @property({ reflect: true }) mode: 'inline' | 'launcher' = 'inline';
  /** Whether the launcher panel is open (the `open` attribute; `open()` is the method). */
  @property({ type: Boolean, reflect: true, attribute: 'open' }) isOpen = false;
  /** A JWT from the host site's backend that identifies the visitor (see the server's identify endpoint). */
  @property({ attribute: 'user-token' }) userToken?: string;
  /** The small heading above the session title. */
  @property() heading?: string;
  /** The composer's placeholder. */
  @property() placeholder?: string;
  /** `light`, `dark`, or `auto` to follow the visitor's system. */
  @property({ reflect: true }) theme: 'light' | 'dark' | 'auto' = 'light';
  /** The BCP 47 locale for dates and numbers. Default: the browser's. */
  @property() locale?: string;
  /** Space-separated origins that images in replies may load from, or `*` for any https image. Default: none. */
  @property({ attribute: 'image-hosts' }) imageHosts = '';
  /** Overrides for any visible text. */
  @property({ attribute: false }) strings: Partial<AiChatStrings> = {};
  /** An SDK `ChatClient` to use instead of the one the element makes from `server` and `user-token`. */
  @property({ attribute: false }) client?: ChatClientLike;

  @state() private isDropdownOpen = false;
  @state() private editingId: string | null = null;
  @state() private confirmingId: string | null = null;
  @state() private draft = '';
  @state() private isScrolledUp = false;

  @query('.messages') private messagesElement?: HTMLElement;
  @query('.input') private inputElement?: HTMLTextAreaElement;
  @query('.picker') private pickerElement?: HTMLButtonElement;
  @query('.launcher') private launcherElement?: HTMLButtonElement;

  private readonly chat = new ChatController(this, () => this.client ?? createChatClient(this.serverUrl, this.userToken));
  private isComposing = false;
  private previousScrollHeight = 0;
  private previousFirstMessageId: string | undefined;
  private readonly handleOutsidePointer = (event: PointerEvent) => {
    if (!event.composedPath().some((node) => node instanceof HTMLElement && (node.classList.contains('dropdown') || node.classList.contains('picker')))) {
      this.closeDropdown(false);
    }
  };

  /** The server the element talks to: `server`, or the page's origin. */
  get serverUrl(): string {
    return (this.server || globalThis.location?.origin || '').replace(/\/+$/, '');
  }

  /** The texts in use: the defaults with `strings` and the `heading` and `placeholder` attributes on top. */
  get text(): AiChatStrings {
    return { ...DEFAULT_STRINGS, ...this.strings, ...(this.heading ? { heading: this.heading } : {}), ...(this.placeholder ? { placeholder: this.placeholder } : {}) };
  }

  /** Opens the launcher panel and moves focus into it. */
  open(): void {
    this.setOpen(true);
  }

  /** Closes the launcher panel and gives focus back to the launcher button. */
  close(): void {
    this.setOpen(false);
  }

  /** Opens the launcher panel when closed, closes it when open. */
  toggle(): void {
    this.setOpen(!this.isOpen);
  }

  /** Starts a new session, with `model` or the one chosen in the model picker. */
  newSession(model?: string): Promise<void> {
    return this.chat.newSession(model);
  }

  /** Makes a session active and shows its messages. */
  selectSession(id: string): Promise<void> {
    return this.chat.selectSession(id);
  }

  /** Sends a message in the active session (after a cancelable `ai-message-send`) and streams the reply. */
  send(text: string): Promise<void> {
    return this.submit(text) ?? Promise.resolve();
  }

  /** Stops the reply being written in the active session. */
  stop(): Promise<void> {
    return this.chat.stop();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('pointerdown', this.handleOutsidePointer, true);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const isReconfigured = changed.has('server') || changed.has('userToken') || changed.has('client');
    if (this.hasUpdated && isReconfigured) this.chat.reset();
    if (changed.has('model') && this.model && this.chat.models.some((model) => model.id === this.model)) this.chat.selectModel(this.model);
    const messages = this.messagesElement;
    this.previousScrollHeight = messages ? messages.scrollHeight : 0;
    this.previousFirstMessageId = this.chat.history.messages[0]?.id;
  }

  override render() {
    const text = this.text;
    const panel = html`<section class="panel" part="panel" role=${this.mode === 'launcher' ? 'dialog' : 'region'}
      aria-label=${text.heading} @keydown=${this.handlePanelKeydown}>
      ${this.renderHeader(text)}
      <div class="messages" part="messages" role="log" aria-live="polite" aria-label=${text.sessionsLabel}
        tabindex="0" @scroll=${this.handleMessagesScroll} @wheel=${this.handleMessagesWheel} @keydown=${this.handleMessagesKeydown}
        @click=${this.handleMessagesClick}>
        ${renderMessageList(
          { ...this.chat.history, models: this.chat.models, strings: text, markdown: this.markdownOptions(text) },
          { retry: this.handleRetryClick },
        )}
      </div>
      <div class="composer-area">
        ${this.isScrolledUp ? html`<button type="button" class="jump" part="jump" @click=${this.handleJumpClick}>${icons.arrowDown}${text.jumpToLatest}</button>` : nothing}
        ${this.renderFailure(text)}
        ${renderComposer(
          { draft: this.draft, strings: text, models: this.chat.models, selectedModel: this.chat.selectedModel, isStreaming: this.chat.isStreaming, isReady: this.chat.status === 'ready' },
          { input: this.handleInput, keydown: this.handleInputKeydown, compositionStart: this.handleCompositionStart, compositionEnd: this.handleCompositionEnd, send: this.handleSendClick, stop: this.handleStopClick, model: this.handleModelChange },
        )}
      </div>
    </section>`;
    if (this.mode !== 'launcher') return panel;
    return html`${panel}<button type="button" class="launcher" part="launcher" aria-expanded=${this.isOpen ? 'true' : 'false'}
      aria-label=${this.isOpen ? text.close : text.open} @click=${this.handleLauncherClick}>${this.isOpen ? icons.close : icons.chat}</button>`;
  }

  protected override updated(changed: PropertyValues): void {
    const messages = this.messagesElement;
    if (!messages) return;
    if (!this.isScrolledUp) messages.scrollTop = messages.scrollHeight;
    else if (this.previousScrollHeight && messages.scrollHeight > this.previousScrollHeight && this.hasGrownAbove()) {
      // Older messages (or the note that they are loading) were added above: keep the visitor's place.
      messages.scrollTop += messages.scrollHeight - this.previousScrollHeight;
    }
    if (changed.has('draft')) this.resizeInput();
  }

  /** Whether the last update added content above the messages shown (not text at the bottom of a streaming reply). */
  private hasGrownAbove(): boolean {
    const { messages, isLoadingOlder } = this.chat.history;
    return messages[0]?.id !== this.previousFirstMessageId || isLoadingOlder;
  }

  private renderHeader(text: AiChatStrings) {
    const title = this.chat.activeSession?.title || text.untitledSession;
    return html`<header class="header" part="header">
      <button type="button" class="picker" part="session-picker" aria-haspopup="listbox" aria-expanded=${this.isDropdownOpen ? 'true' : 'false'}
        @click=${this.handlePickerClick} @keydown=${this.handlePickerKeydown}>
        <span class="picker-text"><span class="picker-heading">${text.heading}</span><span class="picker-title">${title}</span></span>
        ${icons.chevron}
      </button>
      <button type="button" class="icon-button" part="new-session" aria-label=${text.newSession} title=${text.newSession}
        @click=${this.handleNewSessionClick}>${icons.compose}</button>
      ${this.mode === 'launcher' ? html`<button type="button" class="icon-button" part="close" aria-label=${text.close} title=${text.close}
        @click=${this.handleCloseClick}>${icons.close}</button>` : nothing}
      ${this.isDropdownOpen ? this.renderDropdown(text) : nothing}
    </header>`;
  }

  private renderDropdown(text: AiChatStrings) {
    return renderSessionList(
      { sessions: this.chat.sessions, activeSessionId: this.chat.activeSessionId, models: this.chat.models, strings: text, locale: this.locale, editingId: this.editingId, confirmingId: this.confirmingId, hasMore: this.chat.sessionsCursor !== null },
      { select: this.handleSessionClick, keydown: this.handleSessionKeydown, renameStart: this.handleRenameClick, renameKeydown: this.handleRenameKeydown, renameBlur: this.handleRenameBlur, deleteStart: this.handleDeleteClick, deleteConfirm: this.handleDeleteConfirmClick, deleteCancel: this.handleDeleteCancelClick, loadMore: this.handleLoadMoreClick, scroll: this.handleSessionListScroll },
    );
  }

  private renderFailure(text: AiChatStrings) {
    const failure = this.chat.failure;
    if (!failure) return nothing;
    const message = failure.error instanceof Error && failure.error.message ? failure.error.message : text.connectionError;
    return html`<div class="error" part="error" role="alert">${icons.alert}<p>${message}</p>
      ${failure.retry ? html`<button type="button" class="text-button" @click=${failure.retry}>${text.tryAgain}</button>` : nothing}
      <button type="button" class="icon-button" aria-label=${text.dismiss} @click=${this.handleDismissClick}>${icons.close}</button>
    </div>`;
  }

  private markdownOptions(text: AiChatStrings) {
    return { imageHosts: this.imageHosts.split(/\s+/).filter(Boolean), copyLabel: text.copy, copiedLabel: text.copied, imageLabel: text.imageBlocked };
  }

  private setOpen(isOpen: boolean): void {
    if (isOpen === this.isOpen) return;
    this.isOpen = isOpen;
    this.dispatchEvent(new AiOpenChangeEvent(isOpen));
    void this.updateComplete.then(() => (isOpen ? this.inputElement?.focus() : this.launcherElement?.focus()));
  }

  /** Sends unless the text is empty, a reply is streaming, or the host cancels `ai-message-send`. */
  private submit(text: string): Promise<void> | null {
    const content = text.trim();
    if (!content || this.chat.isStreaming) return null;
    if (!this.dispatchEvent(new AiMessageSendEvent(content))) return null;
    this.stickToBottom();
    return this.chat.send(content);
  }

  private stickToBottom(): void {
    this.isScrolledUp = false;
  }

  private resizeInput(): void {
    const input = this.inputElement;
    if (!input) return;
    input.style.height = 'auto';
    input.style.height = `${input.scrollHeight}px`;
  }

  private openDropdown(focus: 'active' | 'first' | 'last' | 'none'): void {
    this.isDropdownOpen = true;
    window.addEventListener('pointerdown', this.handleOutsidePointer, true);
    if (focus !== 'none') void this.updateComplete.then(() => this.focusOption(focus));
  }

  private closeDropdown(returnFocus: boolean): void {
    if (!this.isDropdownOpen) return;
    this.isDropdownOpen = false;
    this.editingId = null;
    this.confirmingId = null;
    window.removeEventListener('pointerdown', this.handleOutsidePointer, true);
    if (returnFocus) void this.updateComplete.then(() => this.pickerElement?.focus());
  }

  private options(): HTMLElement[] {
    return [...(this.renderRoot.querySelectorAll<HTMLElement>('[role="option"]') ?? [])];
  }

  private focusOption(which: 'active' | 'first' | 'last' | number): void {
    const options = this.options();
    if (options.length === 0) return;
    const activeIndex = options.findIndex((option) => option.getAttribute('aria-selected') === 'true');
    const index = which === 'first' ? 0 : which === 'last' ? options.length - 1 : which === 'active' ? Math.max(0, activeIndex) : which;
    const target = options[Math.min(Math.max(index, 0), options.length - 1)];
    options.forEach((option) => option.setAttribute('tabindex', option === target ? '0' : '-1'));
    target?.focus();
    if (which === 'last' || index >= options.length - 1) void this.chat.loadMoreSessions();
  }

  private idOf(event: Event): string {
    return (event.currentTarget as HTMLElement).dataset.id ?? '';
  }

  private handleLauncherClick() {
    this.toggle();
  }

  private handleCloseClick() {
    this.close();
  }

  private handlePanelKeydown(event: KeyboardEvent) {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    if (this.isDropdownOpen) {
      event.preventDefault();
      this.closeDropdown(true);
    } else if (this.mode === 'launcher' && this.isOpen) {
      event.preventDefault();
      this.close();
    }
  }

  private handlePickerClick() {
    if (this.isDropdownOpen) this.closeDropdown(false);
    else this.openDropdown('none');
  }

  private handlePickerKeydown(event: KeyboardEvent) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp' || ((event.key === 'Enter' || event.key === ' ') && !this.isDropdownOpen)) {
      event.preventDefault();
      this.openDropdown(event.key === 'ArrowUp' ? 'last' : 'active');
    }
  }

  private handleNewSessionClick() {
    this.closeDropdown(false);
    void this.chat.newSession().then(() => this.inputElement?.focus());
  }

  private handleSessionClick(event: Event) {
    if (this.editingId || this.confirmingId) return;
    void this.chat.selectSession(this.idOf(event));
    this.stickToBottom();
    this.closeDropdown(true);
  }

  private handleSessionKeydown(event: KeyboardEvent) {
    if (event.target !== event.currentTarget) return;
    const options = this.options();
    const index = options.indexOf(event.currentTarget as HTMLElement);
    const moves: Record<string, number | 'first' | 'last'> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 'first', End: 'last' };
    const move = moves[event.key];
    if (move !== undefined) {
      event.preventDefault();
      this.focusOption(move);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.handleSessionClick(event);
    } else if (event.key === 'F2') {
      event.preventDefault();
      this.handleRenameClick(event);
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      this.handleDeleteClick(event);
    } else if (event.key === 'Tab') {
      this.closeDropdown(false);
    }
  }

  private handleRenameClick(event: Event) {
    event.stopPropagation();
    this.confirmingId = null;
    this.editingId = this.idOf(event);
    void this.updateComplete.then(() => {
      const input = this.renderRoot.querySelector<HTMLInputElement>('.session-rename');
      input?.focus();
      input?.select();
    });
  }

  private handleRenameKeydown(event: KeyboardEvent) {
    event.stopPropagation();
    if (event.key === 'Enter') void this.commitRename(event.currentTarget as HTMLInputElement);
    if (event.key === 'Escape') this.finishEditing();
  }

  private handleRenameBlur(event: FocusEvent) {
    if (this.editingId) void this.commitRename(event.currentTarget as HTMLInputElement, false);
  }

  private async commitRename(input: HTMLInputElement, refocus = true) {
    const id = input.dataset.id ?? '';
    const title = input.value;
    this.finishEditing(refocus);
    await this.chat.renameSession(id, title);
  }

  private finishEditing(refocus = true) {
    const id = this.editingId ?? this.confirmingId;
    this.editingId = null;
    this.confirmingId = null;
    if (refocus) void this.updateComplete.then(() => this.options().find((option) => option.dataset.id === id)?.focus());
  }

  private handleDeleteClick(event: Event) {
    event.stopPropagation();
    this.editingId = null;
    this.confirmingId = this.idOf(event);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('.session-confirm .text-button:last-child')?.focus());
  }

  private handleDeleteConfirmClick(event: Event) {
    event.stopPropagation();
    const id = this.idOf(event);
    const index = this.options().findIndex((option) => option.dataset.id === id);
    this.confirmingId = null;
    void this.chat.deleteSession(id).then(() => this.updateComplete).then(() => this.focusOption(Math.max(0, index - 1)));
  }

  private handleDeleteCancelClick(event: Event) {
    event.stopPropagation();
    this.finishEditing();
  }

  private handleLoadMoreClick() {
    void this.chat.loadMoreSessions();
  }

  private handleSessionListScroll(event: Event) {
    const list = event.currentTarget as HTMLElement;
    if (list.scrollHeight - list.scrollTop - list.clientHeight < NEAR_EDGE_PX) void this.chat.loadMoreSessions();
  }

  private handleMessagesScroll() {
    const messages = this.messagesElement;
    if (!messages) return;
    const isScrolledUp = messages.scrollHeight - messages.scrollTop - messages.clientHeight > NEAR_EDGE_PX;
    if (isScrolledUp !== this.isScrolledUp) this.isScrolledUp = isScrolledUp;
    if (messages.scrollTop < NEAR_EDGE_PX && this.chat.history.hasMore) void this.chat.loadOlderMessages();
  }

  // A visitor who starts scrolling up stops following at once: otherwise the next streamed text, arriving before the
  // scroll event, pulls the view back down and fights the wheel or the keys.
  private handleMessagesWheel(event: WheelEvent) {
    if (event.deltaY < 0) this.stopFollowing();
  }

  private handleMessagesKeydown(event: KeyboardEvent) {
    if (['ArrowUp', 'PageUp', 'Home'].includes(event.key)) this.stopFollowing();
  }

  private stopFollowing() {
    const messages = this.messagesElement;
    if (messages && messages.scrollHeight > messages.clientHeight && messages.scrollTop > 0) this.isScrolledUp = true;
  }

  private handleMessagesClick(event: Event) {
    const button = (event.target as HTMLElement).closest?.('button.copy');
    const code = button?.closest('.code-block')?.querySelector('code');
    if (!button || !code) return;
    // Only a class changes: the label nodes belong to Lit, which keeps patching them while the reply streams.
    void navigator.clipboard?.writeText(code.textContent ?? '').then(() => {
      button.classList.add('copied');
      setTimeout(() => button.classList.remove('copied'), 1500);
    }, () => undefined);
  }

  private handleJumpClick() {
    this.stickToBottom();
  }

  private handleRetryClick(event: Event) {
    this.stickToBottom();
    void this.chat.retry(this.idOf(event));
  }

  private handleDismissClick() {
    this.chat.dismissFailure();
  }

  private handleInput(event: Event) {
    this.draft = (event.currentTarget as HTMLTextAreaElement).value;
  }

  private handleInputKeydown(event: KeyboardEvent) {
    // An IME composition's Enter picks a candidate; it must never send.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || this.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    this.handleSendClick();
  }

  private handleCompositionStart() {
    this.isComposing = true;
  }

  private handleCompositionEnd() {
    this.isComposing = false;
  }

  private handleSendClick() {
    if (this.chat.status === 'ready' && this.submit(this.draft)) this.draft = '';
  }

  private handleStopClick() {
    void this.chat.stop();
  }

  private handleModelChange(event: Event) {
    this.chat.selectModel((event.currentTarget as HTMLSelectElement).value);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ai-chat': AiChat;
  }
}
