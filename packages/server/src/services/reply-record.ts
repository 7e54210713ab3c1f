import type { Types } from 'mongoose';
import type { ReplyEnd } from '../data/message.store.js';
import type { ExchangeChanges } from '../data/session.store.js';
import type { Stores } from '../data/stores.js';
import type { ChatSessionRecord, MessageRecord } from '../models/index.js';

/**
 * The stored assistant message of one reply and its session's lock, written under the session's owner. The owner
 * can change while the reply streams (a visitor who signs in hands their sessions to the identified user): a write
 * that finds nothing under the owner it knew looks up the current owner once and tries again under that one.
 */
export class ReplyRecord {
  #owner: Types.ObjectId;

  constructor(
    private readonly stores: Stores,
    readonly sessionId: Types.ObjectId,
    readonly replyId: Types.ObjectId,
    owner: Types.ObjectId,
  ) {
    this.#owner = owner;
  }

  /** The user who owns the reply, as far as this record knows. */
  get owner(): Types.ObjectId {
    return this.#owner;
  }

  /** Saves the text so far (or only reads, without `content`); the stop flag, or `null` when the reply is gone. */
  saveText(content?: string): Promise<Pick<MessageRecord, 'stopRequested'> | null> {
    return this.#asOwner((owner) => this.stores.messages.saveReplyText(owner, this.replyId, content));
  }

  /** The stored reply, or `null` when it is gone. */
  read(): Promise<MessageRecord | null> {
    return this.#asOwner((owner) => this.stores.messages.findOwned(owner, this.sessionId, this.replyId));
  }

  /** Extends the session's lock; `false` once it is no longer this reply's. */
  async renewLock(ttlMs: number): Promise<boolean> {
    return (await this.#asOwner(async (owner) => (await this.stores.sessions.renewReplyLock(owner, this.sessionId, this.replyId, ttlMs)) || null)) ?? false;
  }

  /** Whether this reply still holds its session's lock (its writer is alive). */
  async isLockHeld(): Promise<boolean> {
    const session = await this.#asOwner((owner) => this.stores.sessions.findOwned(owner, this.sessionId));
    const lock = session?.replyLock;
    return !!lock && lock.messageId.equals(this.replyId) && lock.expiresAt.getTime() >= Date.now();
  }

  /** Stores the reply's end; `false` when the reply is gone. */
  async finish(end: ReplyEnd): Promise<boolean> {
    return (await this.#asOwner(async (owner) => (await this.stores.messages.finishReply(owner, this.replyId, end)) || null)) ?? false;
  }

  /** Ends the reply as interrupted when it still streams; the stored reply after that, or `null` when it is gone. */
  markInterrupted(): Promise<MessageRecord | null> {
    return this.#asOwner((owner) => this.stores.messages.markInterrupted(owner, this.replyId));
  }

  /** Counts the reply's exchange on its session. */
  recordExchange(changes: ExchangeChanges): Promise<ChatSessionRecord | null> {
    return this.#asOwner((owner) => this.stores.sessions.recordExchange(owner, this.sessionId, changes));
  }

  /** Changes fields of the reply's session. */
  updateSession(changes: Partial<ChatSessionRecord>): Promise<ChatSessionRecord | null> {
    return this.#asOwner((owner) => this.stores.sessions.update(owner, this.sessionId, changes));
  }

  /** Frees the session's lock, with changes made in the same write; the session after, or `null`. */
  releaseLock(changes: Partial<ChatSessionRecord> = {}): Promise<ChatSessionRecord | null> {
    return this.#asOwner((owner) => this.stores.sessions.releaseReplyLock(owner, this.sessionId, this.replyId, changes));
  }

  async #asOwner<T>(write: (owner: Types.ObjectId) => Promise<T | null>): Promise<T | null> {
    const result = await write(this.#owner);
    if (result !== null) return result;
    const owner = await this.stores.messages.findCurrentOwner(this.sessionId, this.replyId);
    if (!owner || owner.equals(this.#owner)) return null;
    this.#owner = owner;
    return write(owner);
  }
}
