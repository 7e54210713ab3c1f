import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError, ChatError } from '../errors.js';

/**
 * One try at a request: its own AbortController, aborted by the caller's signal or by a timer, and remembering which
 * of the two it was so a failure turns into the right error. The timer restarts on each chunk of a stream, so it
 * bounds silence rather than the length of a reply.
 */
export class Attempt {
  readonly controller = new AbortController();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #hasTimedOut = false;
  readonly #parent: AbortSignal | undefined;
  readonly #timeout: number;
  readonly #onParentAbort = () => this.controller.abort(this.#parent?.reason);

  constructor(parent: AbortSignal | undefined, timeout: number) {
    this.#parent = parent;
    this.#timeout = timeout;
    if (parent?.aborted) this.controller.abort(parent.reason);
    parent?.addEventListener('abort', this.#onParentAbort, { once: true });
    this.restartTimer();
  }

  /** The signal to hand to fetch. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Starts the timeout again, e.g. because a chunk arrived. */
  restartTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#hasTimedOut = true;
      this.controller.abort();
    }, this.#timeout);
  }

  /** Stops the timer and lets go of the caller's signal; call it once the response is fully read. */
  finish(): void {
    clearTimeout(this.#timer);
    this.#parent?.removeEventListener('abort', this.#onParentAbort);
  }

  /** Turns whatever fetch or a body read threw into the SDK's error for it. */
  toError(error: unknown): ChatError {
    if (error instanceof ChatError) return error;
    if (this.#parent?.aborted) return new APIUserAbortError();
    if (this.#hasTimedOut) return new APIConnectionTimeoutError();
    return new APIConnectionError(undefined, { cause: error });
  }
}
