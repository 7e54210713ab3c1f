import type { Types } from 'mongoose';
import type { ChatSessionModel, ChatSessionRecord } from '../models/index.js';

/** A position in a user's session list: the last session of a page. */
export interface SessionCursor {
  updatedAt: Date;
  id: Types.ObjectId;
}

/** What storing an exchange changes on its session (the counters and preview the session list shows). */
export interface ExchangeChanges {
  model: string;
  lastMessage: NonNullable<ChatSessionRecord['lastMessage']>;
  /** A title from the first message, set only while the session still has its placeholder title. */
  title?: string | undefined;
  /** The exchange's reply: the last message of the branch the session shows. */
  tailId: Types.ObjectId;
  at: Date;
}

/** Matches a session no erase has begun on (`null` also matches a session stored before the field existed). */
const NOT_ERASING = { erasingSince: null };

/** A session of someone's, as the sweep finds it: enough to act on it under its owner. */
export type OwnedSession = Pick<ChatSessionRecord, '_id' | 'userId'>;

/**
 * Every read and write of `chat_sessions`, each one scoped to its owner: a session of another user behaves exactly
 * like a missing one, and so does a session being erased. It also holds the session's reply lock (one reply at a
 * time, across server processes). The one read across owners is {@link SessionStore.findAbandonedErasures}.
 */
export class SessionStore {
  constructor(private readonly model: ChatSessionModel) {}

  /** Stores a new session of the owner. */
  async create(owner: Types.ObjectId, fields: Pick<ChatSessionRecord, 'model' | 'title' | 'titleSource'>): Promise<ChatSessionRecord> {
    return (await this.model.create({ ...fields, userId: owner })).toObject();
  }

  /** The owner's session, or `null`. */
  findOwned(owner: Types.ObjectId, sessionId: Types.ObjectId): Promise<ChatSessionRecord | null> {
    return this.model.findOne({ _id: sessionId, userId: owner, ...NOT_ERASING }).lean<ChatSessionRecord>();
  }

  /** The reply lock of the owner's session, erased or not; `null` when the session is gone (or not the owner's). */
  async findReplyLock(owner: Types.ObjectId, sessionId: Types.ObjectId): Promise<Pick<ChatSessionRecord, 'replyLock'> | null> {
    return this.model.findOne({ _id: sessionId, userId: owner }).select({ replyLock: 1 }).lean<Pick<ChatSessionRecord, 'replyLock'>>();
  }

  /** Up to `limit` of the owner's sessions after `cursor`, most recently active first. */
  page(owner: Types.ObjectId, limit: number, cursor?: SessionCursor): Promise<ChatSessionRecord[]> {
    const after = cursor ? { $or: [{ updatedAt: { $lt: cursor.updatedAt } }, { updatedAt: cursor.updatedAt, _id: { $lt: cursor.id } }] } : {};
    return this.model.find({ userId: owner, ...NOT_ERASING, ...after }).sort({ updatedAt: -1, _id: -1 }).limit(limit).lean<ChatSessionRecord[]>();
  }

  /** Some of the owner's sessions by id, in no particular order. */
  findManyOwned(owner: Types.ObjectId, sessionIds: Types.ObjectId[]): Promise<ChatSessionRecord[]> {
    return this.model.find({ _id: { $in: sessionIds }, userId: owner, ...NOT_ERASING }).lean<ChatSessionRecord[]>();
  }

  /** The owner's sessions whose title holds any of the words of `search` (`$text`), best first, at most `limit`. */
  searchTitles(owner: Types.ObjectId, search: string, limit: number): Promise<(ChatSessionRecord & { score: number })[]> {
    return this.model
      .find({ userId: owner, $text: { $search: search }, ...NOT_ERASING }, { score: { $meta: 'textScore' } })
      .sort({ score: { $meta: 'textScore' } })
      .limit(limit)
      .lean<(ChatSessionRecord & { score: number })[]>();
  }

  /** Changes fields of the owner's session without making it the most recently active; `null` when not found. */
  update(owner: Types.ObjectId, sessionId: Types.ObjectId, changes: Partial<ChatSessionRecord>): Promise<ChatSessionRecord | null> {
    return this.model
      .findOneAndUpdate({ _id: sessionId, userId: owner, ...NOT_ERASING }, { $set: changes }, { returnDocument: 'after', timestamps: false })
      .lean<ChatSessionRecord>();
  }

  /** Deletes the owner's session (its messages are the message store's). */
  async delete(owner: Types.ObjectId, sessionId: Types.ObjectId): Promise<void> {
    await this.model.deleteOne({ _id: sessionId, userId: owner });
  }

  /** Deletes every session of the owner. */
  async deleteAll(owner: Types.ObjectId): Promise<void> {
    await this.model.deleteMany({ userId: owner });
  }

  /**
   * Begins erasing the owner's session (or, without `sessionId`, every session of the owner): from now on it is
   * invisible and takes no reply lock. An erase begun before keeps its start. `false` when there is no such session.
   */
  async markErasing(owner: Types.ObjectId, sessionId?: Types.ObjectId): Promise<boolean> {
    const result = await this.model.updateMany(
      { userId: owner, ...(sessionId ? { _id: sessionId } : {}) },
      { $min: { erasingSince: new Date() } },
      { timestamps: false },
    );
    return result.matchedCount > 0;
  }

  /** Whether a reply still holds the lock of the owner's session (or of any session of the owner). */
  async isReplyLockHeld(owner: Types.ObjectId, sessionId?: Types.ObjectId): Promise<boolean> {
    const held = await this.model.exists({ userId: owner, ...(sessionId ? { _id: sessionId } : {}), 'replyLock.expiresAt': { $gte: new Date() } });
    return held !== null;
  }

  /**
   * Sessions whose erase began before `before` and is not done (the process erasing them went away), across owners:
   * the sweep finishes them, each under its owner.
   */
  findAbandonedErasures(before: Date, limit: number): Promise<OwnedSession[]> {
    return this.model
      .find({ erasingSince: { $type: 'date', $lt: before } })
      .sort({ erasingSince: 1 })
      .limit(limit)
      .select({ userId: 1 })
      .lean<OwnedSession[]>();
  }

  /**
   * Takes the session's reply lock for `replyId` when it is free or has lapsed, and returns the session as it was
   * before (its `replyLock` names a lapsed reply, if any). `null` when the session is missing or its lock is held.
   */
  takeReplyLock(owner: Types.ObjectId, sessionId: Types.ObjectId, replyId: Types.ObjectId, ttlMs: number): Promise<ChatSessionRecord | null> {
    const now = new Date();
    return this.model
      .findOneAndUpdate(
        { _id: sessionId, userId: owner, ...NOT_ERASING, $or: [{ replyLock: null }, { 'replyLock.expiresAt': { $lt: now } }] },
        { $set: { replyLock: { messageId: replyId, expiresAt: new Date(now.getTime() + ttlMs) } } },
        { returnDocument: 'before', timestamps: false },
      )
      .lean<ChatSessionRecord>();
  }

  /** Hands a held lock over to another reply of the same session (a Retry writes into the reply it retries). */
  async moveReplyLock(owner: Types.ObjectId, sessionId: Types.ObjectId, from: Types.ObjectId, to: Types.ObjectId): Promise<boolean> {
    const result = await this.model.updateOne(
      { _id: sessionId, userId: owner, 'replyLock.messageId': from },
      { $set: { 'replyLock.messageId': to } },
      { timestamps: false },
    );
    return result.matchedCount === 1;
  }

  /** Extends a held lock; `false` when the lock is no longer this reply's (or the owner changed). */
  async renewReplyLock(owner: Types.ObjectId, sessionId: Types.ObjectId, replyId: Types.ObjectId, ttlMs: number): Promise<boolean> {
    const result = await this.model.updateOne(
      { _id: sessionId, userId: owner, 'replyLock.messageId': replyId },
      { $set: { 'replyLock.expiresAt': new Date(Date.now() + ttlMs) } },
      { timestamps: false },
    );
    return result.matchedCount === 1;
  }

  /** Frees the lock when `replyId` holds it, with other changes made in the same write (e.g. the last message). */
  releaseReplyLock(owner: Types.ObjectId, sessionId: Types.ObjectId, replyId: Types.ObjectId, changes: Partial<ChatSessionRecord> = {}): Promise<ChatSessionRecord | null> {
    return this.model
      .findOneAndUpdate(
        { _id: sessionId, userId: owner, 'replyLock.messageId': replyId },
        { $set: { ...changes, replyLock: null } },
        { returnDocument: 'after', timestamps: Object.keys(changes).length > 0 },
      )
      .lean<ChatSessionRecord>();
  }

  /** Counts a stored exchange (user message and reply) and shows its message as the last one. */
  recordExchange(owner: Types.ObjectId, sessionId: Types.ObjectId, changes: ExchangeChanges): Promise<ChatSessionRecord | null> {
    const title = changes.title ? { title: changes.title, titleSource: 'first-message' } : {};
    return this.model
      .findOneAndUpdate(
        { _id: sessionId, userId: owner },
        { $inc: { messageCount: 2 }, $set: { model: changes.model, lastMessage: changes.lastMessage, tailId: changes.tailId, updatedAt: changes.at, ...title } },
        { returnDocument: 'after', timestamps: false },
      )
      .lean<ChatSessionRecord>();
  }

  /** Sets a title a title model wrote, unless the visitor renamed the session meanwhile. */
  setGeneratedTitle(owner: Types.ObjectId, sessionId: Types.ObjectId, title: string): Promise<ChatSessionRecord | null> {
    return this.model
      .findOneAndUpdate(
        { _id: sessionId, userId: owner, titleSource: 'first-message' },
        { $set: { title, titleSource: 'generated' } },
        { returnDocument: 'after', timestamps: false },
      )
      .lean<ChatSessionRecord>();
  }
}
