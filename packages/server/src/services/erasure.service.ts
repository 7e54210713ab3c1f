import { setTimeout as delay } from 'node:timers/promises';
import type { Types } from 'mongoose';
import type { Stores } from '../data/stores.js';
import type { AccessTokenService } from './access-token.service.js';
import type { ReplyRegistry } from './reply-registry.js';

/** How often an erase looks again whether the replies it stopped have let go of their sessions. */
const DEFAULT_POLL_INTERVAL_MS = 50;

/**
 * Erases a session or a user so that, once the call returns, nothing of it is stored or written later, whichever
 * process writes a reply in it. It marks what it erases first (from then on no reply can start there, and it is
 * invisible), stops the replies being written (in this process at once, in others through the stop flag they read
 * every flush), waits until no reply holds a lock of those sessions (a writer lets go once it has stored its end; a
 * dead writer's lock lapses), and only then deletes messages, sessions and the user. A reply starts only under its
 * session's lock and stores its messages before letting go, so nothing it writes can come after the deletes.
 */
export class ErasureService {
  private readonly pollIntervalMs: number;

  constructor(
    private readonly stores: Stores,
    private readonly tokens: AccessTokenService,
    private readonly replies: ReplyRegistry,
    options: { pollIntervalMs?: number | undefined } = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  }

  /** Erases the owner's session with its messages; `false` when the owner has no such session. */
  async eraseSession(owner: Types.ObjectId, sessionId: Types.ObjectId): Promise<boolean> {
    if (!(await this.stores.sessions.markErasing(owner, sessionId))) return false;
    await this.untilNoReplyIsWritten(owner, sessionId);
    await this.deleteSession(owner, sessionId);
    return true;
  }

  /** Erases a user with every token, session and message it has. */
  async eraseUser(userId: Types.ObjectId): Promise<void> {
    await this.markUser(userId);
    await this.untilNoReplyIsWritten(userId);
    await this.deleteUser(userId);
  }

  /**
   * Finishes erases that began before `before` and were left half done (their process went away), without waiting:
   * one whose replies still hold a lock is left for a later call. Safe in any number of processes at once.
   */
  async finishAbandoned(before: Date, limit: number): Promise<void> {
    for (const session of await this.stores.sessions.findAbandonedErasures(before, limit)) {
      if (await this.stopReplies(session.userId, session._id)) await this.deleteSession(session.userId, session._id);
    }
    for (const userId of await this.stores.users.findAbandonedErasures(before, limit)) {
      await this.markUser(userId);
      if (await this.stopReplies(userId)) await this.deleteUser(userId);
    }
  }

  private async markUser(userId: Types.ObjectId): Promise<void> {
    await this.stores.users.markErasing(userId);
    await this.tokens.revokeAll(userId);
    await this.stores.sessions.markErasing(userId);
  }

  private async deleteSession(owner: Types.ObjectId, sessionId: Types.ObjectId): Promise<void> {
    await this.stores.messages.deleteSession(owner, sessionId);
    await this.stores.sessions.delete(owner, sessionId);
  }

  private async deleteUser(userId: Types.ObjectId): Promise<void> {
    await this.stores.messages.deleteAll(userId);
    await this.stores.sessions.deleteAll(userId);
    await this.stores.users.delete(userId);
  }

  private async untilNoReplyIsWritten(owner: Types.ObjectId, sessionId?: Types.ObjectId): Promise<void> {
    while (!(await this.stopReplies(owner, sessionId))) await delay(this.pollIntervalMs);
  }

  /**
   * Stops the replies of the owner's session (or of all its sessions); whether none holds a lock there any more.
   * Asked on every round: a reply that took its lock before the mark may store its messages only now.
   */
  private async stopReplies(owner: Types.ObjectId, sessionId?: Types.ObjectId): Promise<boolean> {
    this.replies.stopOwned(owner, sessionId);
    await this.stores.messages.requestStop(owner, sessionId);
    return !(await this.stores.sessions.isReplyLockHeld(owner, sessionId));
  }
}
