import type { Logger } from 'pino';
import type { Stores } from '../data/stores.js';
import type { ErasureService } from './erasure.service.js';
import type { ReplyRegistry } from './reply-registry.js';

/** How many replies, sessions or users one sweep looks at, at most, of each kind. */
const BATCH = 100;

/** Options of the {@link Sweeper}. */
export interface SweeperOptions {
  /** How often to sweep. */
  intervalMs: number;
  /** The lifetime of a reply lock: what has not moved for that long is looked at. */
  lockTtlMs: number;
  logger: Logger;
}

/**
 * The housekeeping every server process does: every `intervalMs` it ends as `interrupted` the replies still
 * `streaming` whose writer went away (unchanged for a lock's lifetime, and their session's lock lapsed or another
 * reply's), and finishes the erases a process left half done. It reads only what an index points at (streaming
 * replies unchanged for that long, sessions and users being erased), and every change it makes is conditional, so
 * any number of processes may sweep at once.
 */
export class Sweeper {
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<void> | undefined;

  constructor(
    private readonly stores: Stores,
    private readonly erasure: ErasureService,
    private readonly replies: ReplyRegistry,
    private readonly options: SweeperOptions,
  ) {}

  /** Sweeps every `intervalMs` from now on (the timer does not keep the process alive). */
  start(): void {
    this.#timer ??= setInterval(() => void this.sweep(), this.options.intervalMs);
    this.#timer.unref();
  }

  /** Stops sweeping, once the sweep under way (if any) is done. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#sweeping;
  }

  /** One sweep (or the one under way); never rejects, a failure is logged and the next sweep tries again. */
  sweep(): Promise<void> {
    this.#sweeping ??= this.#sweepOnce()
      .catch((error: unknown) => this.options.logger.warn({ err: error }, 'a sweep failed'))
      .finally(() => {
        this.#sweeping = undefined;
      });
    return this.#sweeping;
  }

  async #sweepOnce(): Promise<void> {
    const before = new Date(Date.now() - this.options.lockTtlMs);
    await this.#interruptOrphanedReplies(before);
    await this.erasure.finishAbandoned(before, BATCH);
  }

  async #interruptOrphanedReplies(unchangedSince: Date): Promise<void> {
    const { messages, sessions } = this.stores;
    for (const reply of await messages.findStreaming(unchangedSince, BATCH)) {
      if (this.replies.get(reply._id)) continue;
      // Under the reply's owner: a session moving to another owner, or being deleted, is its mover's or eraser's.
      const session = await sessions.findReplyLock(reply.userId, reply.sessionId);
      if (!session) continue;
      const lock = session.replyLock;
      const isBeingWritten = !!lock && lock.messageId.equals(reply._id) && lock.expiresAt.getTime() >= Date.now();
      if (isBeingWritten) continue;
      const interrupted = await messages.markInterrupted(reply.userId, reply._id, reply.updatedAt);
      if (interrupted) this.options.logger.info({ messageId: reply._id.toHexString() }, 'marked a reply whose writer went away as interrupted');
    }
  }
}
