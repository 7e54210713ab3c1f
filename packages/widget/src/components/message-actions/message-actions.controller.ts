import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { FeedbackRating } from '../../events.js';
import type { Strings } from '../../i18n/catalog.js';
import type { ActionableMessage, MessageActionsHandlers, MessageEditorHandlers } from './message-actions.js';

/** What the actions ask of the conversation (the chat controller): each call reaches the server. */
export interface MessageActionsTarget {
  regenerate(message: ActionableMessage): Promise<unknown> | void;
  edit(message: ActionableMessage, content: string): Promise<unknown> | void;
  showVersion(message: ActionableMessage, step: -1 | 1): Promise<unknown> | void;
  /** Stores a rating (and its reason); resolves once the server has it. */
  rate(message: ActionableMessage, rating: FeedbackRating, reason?: string): Promise<unknown> | void;
  /** Says something to screen reader users (a polite live region). */
  announce(text: string): void;
  /** The texts in use now (the element's language and the host's overrides). */
  strings(): Pick<Strings, 'copied' | 'announceFeedbackUp' | 'announceFeedbackDown' | 'announceFeedbackCleared'>;
}

const COPIED_MS = 2000;

/**
 * The short-lived state of the message actions (which message was just copied, whose rating reason is open, which
 * message is being edited and its draft) and the handlers the templates call. Conversation data stays in the chat
 * controller, reached through the target.
 */
export class MessageActionsController implements ReactiveController {
  /** The message whose markdown is on the clipboard, for a moment. */
  copiedId: string | null = null;
  /** The reply whose optional reason field is open. */
  reasonId: string | null = null;
  /** The user message being edited, and the edited text. */
  editingId: string | null = null;
  draft = '';
  private copiedTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly target: MessageActionsTarget,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.copiedTimer);
  }

  /** The handlers of `renderMessageActions`. */
  readonly actions: MessageActionsHandlers = {
    copy: (message) => void this.copy(message),
    regenerate: (message) => {
      this.close();
      void this.target.regenerate(message);
    },
    edit: (message) => {
      this.editingId = message.id;
      this.draft = message.content;
      this.reasonId = null;
      this.host.requestUpdate();
    },
    showVersion: (message, step) => {
      this.close();
      void this.target.showVersion(message, step);
    },
    rate: (message, rating) => void this.rate(message, rating),
    sendReason: (message, reason) => void this.rate(message, message.feedback?.rating ?? null, reason),
    closeReason: () => {
      this.reasonId = null;
      this.host.requestUpdate();
    },
  };

  /** The handlers of `renderMessageEditor`. */
  readonly editor: MessageEditorHandlers = {
    input: (draft) => {
      this.draft = draft;
      this.host.requestUpdate();
    },
    save: (message, content) => {
      this.close();
      void this.target.edit(message, content);
    },
    cancel: () => this.close(),
  };

  /** Closes the editor and the reason field (another session was opened, a reply started). */
  close(): void {
    if (this.editingId === null && this.reasonId === null) return;
    this.editingId = null;
    this.reasonId = null;
    this.draft = '';
    this.host.requestUpdate();
  }

  private async copy(message: ActionableMessage): Promise<void> {
    try {
      await navigator.clipboard.writeText(message.content);
    } catch {
      return; // no clipboard (an insecure page, a denied permission): the button shows nothing was copied
    }
    clearTimeout(this.copiedTimer);
    this.copiedId = message.id;
    this.target.announce(this.target.strings().copied);
    this.host.requestUpdate();
    this.copiedTimer = setTimeout(() => {
      this.copiedId = null;
      this.host.requestUpdate();
    }, COPIED_MS);
  }

  private async rate(message: ActionableMessage, rating: FeedbackRating, reason?: string): Promise<void> {
    // A rating opens the reason field; sending a reason (or taking the rating back) closes it.
    this.reasonId = rating !== null && reason === undefined ? message.id : null;
    this.host.requestUpdate();
    try {
      await this.target.rate(message, rating, reason);
    } catch {
      return; // the target reports its own failures (an error state and an `ai-error` event)
    }
    const strings = this.target.strings();
    if (reason === undefined) this.target.announce(rating === 'up' ? strings.announceFeedbackUp : rating === 'down' ? strings.announceFeedbackDown : strings.announceFeedbackCleared);
  }
}
