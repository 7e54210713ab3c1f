import type { Logger } from 'pino';
import type { ReplyTiming } from './live-reply.js';
import type { ReplyRecord } from './reply-record.js';

/** What the progress of a live reply reads and tells: its text so far, that a stop was asked for, that its lock is lost. */
export interface ProgressSource {
  readonly id: string;
  readonly content: string;
  stop(reason: 'stopped'): void;
  /** The reply's session lock is no longer surely its own: it must end at once and write nothing more. */
  interrupt(): void;
}

/**
 * Saves a live reply's growing text every `flushIntervalMs` and reads its stop flag in the same round trip (a stop
 * sent to any process). It also guards the session's lock: it renews it every third of its lifetime (retrying often
 * when a renewal fails) and interrupts the reply when a renewal finds the lock taken, or when the lock would lapse
 * before a renewal succeeds, so that the reply never writes once another reply may have begun in its session.
 */
export class ReplyProgress {
  #saved = '';
  #flushing: Promise<void> | undefined;
  #renewing: Promise<void> | undefined;
  /** Until when the lock is surely this reply's: when its last renewal was sent, plus the lock's lifetime. */
  #validUntil: number;
  #renewalSentAt: number;
  #isLost = false;
  #isEnded = false;
  #markLost: () => void = () => undefined;
  readonly #whenLost = new Promise<void>((resolve) => (this.#markLost = resolve));
  readonly #flushTimer: NodeJS.Timeout;
  readonly #lockTimer: NodeJS.Timeout;
  #deadline: NodeJS.Timeout | undefined;

  constructor(
    private readonly reply: ProgressSource,
    private readonly record: ReplyRecord,
    private readonly timing: ReplyTiming,
    private readonly logger: Logger,
    lockValidUntil: number,
  ) {
    this.#validUntil = lockValidUntil;
    this.#renewalSentAt = lockValidUntil - timing.lockTtlMs;
    this.#flushTimer = setInterval(() => void this.#flush(), timing.flushIntervalMs);
    this.#lockTimer = setInterval(() => this.#renewIfDue(), timing.lockTtlMs / 6);
    this.#armDeadline();
  }

  /**
   * Whether the reply may still write: its lock was not found taken, and will not lapse before a write sent now has
   * landed (a margin of a sixth of the lock's lifetime, at most 5 s, covers a slow round trip and clocks a little
   * apart).
   */
  get holdsLock(): boolean {
    return !this.#isLost && Date.now() < this.#validUntil - lockMargin(this.timing.lockTtlMs);
  }

  /** Stops saving, once the save under way (if any) is done or the lock is lost; the lock stays guarded. */
  async stopSaving(): Promise<void> {
    clearInterval(this.#flushTimer);
    await Promise.race([this.#flushing, this.#whenLost]);
  }

  /** Stops guarding the lock: the reply has freed it, or given it up. */
  end(): void {
    this.#isEnded = true;
    clearInterval(this.#flushTimer);
    clearInterval(this.#lockTimer);
    clearTimeout(this.#deadline);
  }

  #flush(): Promise<void> {
    this.#flushing ??= this.#save().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  async #save(): Promise<void> {
    if (!this.holdsLock) return;
    try {
      const content = this.reply.content;
      const state = await this.record.saveText(content === this.#saved ? undefined : content);
      this.#saved = content;
      if (!state || state.stopRequested) this.reply.stop('stopped');
    } catch (error) {
      this.logger.warn({ err: error, messageId: this.reply.id }, 'could not save a reply in progress');
    }
  }

  #renewIfDue(): void {
    if (this.#isLost || Date.now() - this.#renewalSentAt < this.timing.lockTtlMs / 3) return;
    this.#renewing ??= this.#renew().finally(() => {
      this.#renewing = undefined;
    });
  }

  async #renew(): Promise<void> {
    const sentAt = Date.now();
    try {
      if (!(await this.record.renewLock(this.timing.lockTtlMs))) return this.#lose('its lock was taken (or its session is gone)');
      this.#renewalSentAt = sentAt;
      this.#validUntil = sentAt + this.timing.lockTtlMs;
      this.#armDeadline();
    } catch (error) {
      // Tried again on the next tick; the deadline interrupts the reply if no renewal gets through in time.
      this.logger.warn({ err: error, messageId: this.reply.id }, 'could not renew a reply lock');
    }
  }

  #armDeadline(): void {
    clearTimeout(this.#deadline);
    const remaining = this.#validUntil - lockMargin(this.timing.lockTtlMs) - Date.now();
    this.#deadline = setTimeout(() => this.#lose('its lock could not be renewed in time'), Math.max(0, remaining));
  }

  #lose(why: string): void {
    if (this.#isLost || this.#isEnded) return;
    this.#isLost = true;
    this.end();
    this.#markLost();
    this.logger.warn({ messageId: this.reply.id }, `reply interrupted: ${why}`);
    this.reply.interrupt();
  }
}

/** How long before its lock lapses a reply stops writing. */
function lockMargin(lockTtlMs: number): number {
  return Math.min(lockTtlMs / 6, 5_000);
}
