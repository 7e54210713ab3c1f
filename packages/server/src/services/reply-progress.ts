import type { Logger } from 'pino';
import type { ReplyTiming } from './live-reply.js';
import type { ReplyRecord } from './reply-record.js';

/** What the progress of a live reply reads and tells: its text so far, and that a stop was asked for. */
export interface ProgressSource {
  readonly id: string;
  readonly content: string;
  stop(reason: 'stopped'): void;
}

/**
 * Saves a live reply's growing text every `flushIntervalMs`, reads its stop flag in the same round trip (a stop sent
 * to any process), and renews its session's lock a few times per lock lifetime.
 */
export class ReplyProgress {
  #saved = '';
  #lockRenewedAt = Date.now();
  #flushing: Promise<void> | undefined;
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly reply: ProgressSource,
    private readonly record: ReplyRecord,
    private readonly timing: ReplyTiming,
    private readonly logger: Logger,
  ) {
    this.#timer = setInterval(() => void this.#flush(), timing.flushIntervalMs);
  }

  /** Stops saving, once the save under way (if any) is done. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#flushing;
  }

  #flush(): Promise<void> {
    this.#flushing ??= this.#save().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  async #save(): Promise<void> {
    try {
      const content = this.reply.content;
      const state = await this.record.saveText(content === this.#saved ? undefined : content);
      this.#saved = content;
      if (!state || state.stopRequested) this.reply.stop('stopped');
      if (Date.now() - this.#lockRenewedAt > this.timing.lockTtlMs / 3) {
        this.#lockRenewedAt = Date.now();
        await this.record.renewLock(this.timing.lockTtlMs);
      }
    } catch (error) {
      this.logger.warn({ err: error, messageId: this.reply.id }, 'could not save a reply in progress');
    }
  }
}
