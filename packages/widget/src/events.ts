import type { Message } from '@ai-chat/protocol';

const options = { bubbles: true, composed: true } as const;

/** Fired once the element has a visitor, its models and its sessions, and the visitor can type. */
export class AiReadyEvent extends Event {
  static readonly eventName = 'ai-ready';
  constructor() {
    super(AiReadyEvent.eventName, options);
  }
}

/** Fired when the active session changes (selected, created, deleted); `sessionId` is null for a fresh draft. */
export class AiSessionChangeEvent extends Event {
  static readonly eventName = 'ai-session-change';
  constructor(readonly sessionId: string | null) {
    super(AiSessionChangeEvent.eventName, options);
  }
  /** The payload as an object too, for code written against `CustomEvent`. */
  get detail() {
    return { sessionId: this.sessionId };
  }
}

/** Fired before a message is sent; call `preventDefault()` to keep it from being sent. */
export class AiMessageSendEvent extends Event {
  static readonly eventName = 'ai-message-send';
  constructor(readonly content: string) {
    super(AiMessageSendEvent.eventName, { ...options, cancelable: true });
  }
  /** The payload as an object too, for code written against `CustomEvent`. */
  get detail() {
    return { content: this.content };
  }
}

/** Fired when an assistant reply ends, whether `complete`, `stopped` or `error` (see `message.status`). */
export class AiResponseEndEvent extends Event {
  static readonly eventName = 'ai-response-end';
  constructor(readonly message: Message) {
    super(AiResponseEndEvent.eventName, options);
  }
  /** The payload as an object too, for code written against `CustomEvent`. */
  get detail() {
    return { message: this.message };
  }
}

/** Fired for every failure the element shows; the element never throws into the host page. */
export class AiErrorEvent extends Event {
  static readonly eventName = 'ai-error';
  constructor(readonly error: unknown) {
    super(AiErrorEvent.eventName, options);
  }
  /** The payload as an object too, for code written against `CustomEvent`. */
  get detail() {
    return { error: this.error };
  }
}

/** Fired when the launcher panel opens or closes. */
export class AiOpenChangeEvent extends Event {
  static readonly eventName = 'ai-open-change';
  constructor(readonly open: boolean) {
    super(AiOpenChangeEvent.eventName, options);
  }
  /** The payload as an object too, for code written against `CustomEvent`. */
  get detail() {
    return { open: this.open };
  }
}

/** A rating the visitor gives a reply: thumbs up, thumbs down, or `null` when they take it back. */
export type FeedbackRating = 'up' | 'down' | null;

/**
 * Fired when the visitor rates a reply or adds a reason to a rating, after the server has stored it, so a host can
 * send it to its own analytics.
 */
export class AiFeedbackEvent extends Event {
  static readonly eventName = 'ai-feedback';
  constructor(
    readonly messageId: string,
    readonly rating: FeedbackRating,
    readonly reason: string | undefined,
  ) {
    super(AiFeedbackEvent.eventName, options);
  }
  /** The payload as an object too, for code written against `CustomEvent`. */
  get detail() {
    return { messageId: this.messageId, rating: this.rating, reason: this.reason };
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'ai-feedback': AiFeedbackEvent;
    'ai-ready': AiReadyEvent;
    'ai-session-change': AiSessionChangeEvent;
    'ai-message-send': AiMessageSendEvent;
    'ai-response-end': AiResponseEndEvent;
    'ai-error': AiErrorEvent;
    'ai-open-change': AiOpenChangeEvent;
  }
}
