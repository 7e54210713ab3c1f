/** One message's text that arrived since the last paint. */
interface PendingText {
  sessionId: string;
  text: string;
  /** The reply was joined midway: its text starts over, replacing what is shown. */
  isRestart: boolean;
}

const nextFrame: (callback: () => void) => number =
  typeof requestAnimationFrame === 'function' ? (callback) => requestAnimationFrame(callback) : (callback) => setTimeout(callback, 16) as unknown as number;
const cancelFrame: (handle: number) => void =
  typeof cancelAnimationFrame === 'function' ? (handle) => cancelAnimationFrame(handle) : (handle) => clearTimeout(handle);

/**
 * Collects streamed text per message and hands it over once per animation frame: many tokens arrive per frame, and
 * painting them together keeps a long reply from re-rendering per token.
 */
export class DeltaBuffer {
  readonly #pending = new Map<string, PendingText>();
  readonly #restarting = new Set<string>();
  readonly #apply: (messageId: string, pending: PendingText) => void;
  #frame = 0;

  /** `apply` receives each message's text of a frame; it is called from `flush`. */
  constructor(apply: (messageId: string, pending: PendingText) => void) {
    this.#apply = apply;
  }

  /** Marks a reply joined midway: the next text for it replaces what is shown instead of extending it. */
  restart(messageId: string): void {
    this.#restarting.add(messageId);
  }

  /** Forgets a restart mark (the reply ended before any text came). */
  settle(messageId: string): void {
    this.#restarting.delete(messageId);
  }

  /** Adds text for a message and schedules a paint. */
  push(sessionId: string, messageId: string, delta: string): void {
    const pending = this.#pending.get(messageId);
    const isRestart = pending ? pending.isRestart : this.#restarting.delete(messageId);
    this.#pending.set(messageId, { sessionId, text: (pending?.text ?? '') + delta, isRestart });
    this.#frame ||= nextFrame(() => this.flush());
  }

  /** Hands over everything pending now (before a reply ends, or fails). */
  flush(): void {
    if (this.#frame) cancelFrame(this.#frame);
    this.#frame = 0;
    const pending = [...this.#pending];
    this.#pending.clear();
    for (const [messageId, text] of pending) this.#apply(messageId, text);
  }

  /** Drops everything (another server or user). */
  clear(): void {
    if (this.#frame) cancelFrame(this.#frame);
    this.#frame = 0;
    this.#pending.clear();
    this.#restarting.clear();
  }
}
