import type { Types } from 'mongoose';
import type { MessageModel, MessageRecord } from '../models/index.js';
import type { TreeNode } from '../services/conversation-tree.js';

/** Matches the messages on the branch a session shows (`hidden` is set only on the others). */
const SHOWN = { hidden: { $ne: true } };

/** A message a text search found, with its score (its text is read for the page shown only). */
export type TextHit = Pick<MessageRecord, '_id' | 'sessionId'> & { score: number };

/** A message's id with its version group, for counting versions. */
export type VersionEntry = Pick<MessageRecord, '_id' | 'versionGroup' | 'createdAt'>;

/** A message about to be stored; the store adds its owner. */
export type NewMessage = Omit<MessageRecord, 'userId' | 'updatedAt'>;

/** The fields of a reply that its end stores. */
export type ReplyEnd = Pick<MessageRecord, 'content' | 'status' | 'error' | 'usage'>;

/** A turn of stored history: who spoke and what. */
export type StoredTurn = Pick<MessageRecord, 'role' | 'content'>;

/** A reply still streaming, as the sweep finds it: enough to check its session's lock under its owner. */
export type StreamingReply = Pick<MessageRecord, '_id' | 'sessionId' | 'userId' | 'updatedAt'>;

/**
 * Every read and write of `messages`, each one scoped to its owner, so no caller can reach a message by id alone.
 * The exceptions are {@link MessageStore.findCurrentOwner}, which a reply's writer uses to follow its session to
 * the user who owns it now (a visitor who signs in mid-reply hands their sessions to the identified user), and
 * {@link MessageStore.findStreaming}, with which the sweep finds replies whose writer died.
 */
export class MessageStore {
  constructor(private readonly model: MessageModel) {}

  /**
   * Stores a visitor's message and the reply placeholder in one write. Not atomic: when the second document is
   * refused the first stays, and a retry with the same `clientMessageId` completes the exchange. The documents are
   * complete records made by the chat flow, so they go as they are (`lean`: no hydration, casting or validation on
   * the chat's critical path); `updatedAt` starts as `createdAt`.
   */
  async insertExchange(owner: Types.ObjectId, userMessage: NewMessage, reply: NewMessage): Promise<void> {
    const stored = (message: NewMessage): MessageRecord => ({ ...message, userId: owner, updatedAt: message.createdAt });
    await this.model.insertMany([stored(userMessage), stored(reply)], { ordered: true, lean: true });
  }

  /** Stores one message of the owner. */
  async insert(owner: Types.ObjectId, message: NewMessage): Promise<MessageRecord> {
    return (await this.model.create({ ...message, userId: owner })).toObject();
  }

  /** The owner's message of a session with this `clientMessageId`, or `null`. */
  findByClientMessageId(owner: Types.ObjectId, sessionId: Types.ObjectId, clientMessageId: string): Promise<MessageRecord | null> {
    return this.model.findOne({ sessionId, userId: owner, clientMessageId }).lean<MessageRecord>();
  }

  /** The reply to a user message (its newest version), or `null`. */
  findReplyTo(owner: Types.ObjectId, userMessage: MessageRecord): Promise<MessageRecord | null> {
    return this.model.findOne({ sessionId: userMessage.sessionId, userId: owner, replyTo: userMessage._id }).sort({ createdAt: -1, _id: -1 }).lean<MessageRecord>();
  }

  /** One of the owner's messages, or `null`. */
  findOwned(owner: Types.ObjectId, sessionId: Types.ObjectId, messageId: Types.ObjectId): Promise<MessageRecord | null> {
    return this.model.findOne({ _id: messageId, sessionId, userId: owner }).lean<MessageRecord>();
  }

  /** One of the owner's messages by id alone (whichever session holds it), or `null`. */
  findOwnedById(owner: Types.ObjectId, messageId: Types.ObjectId): Promise<MessageRecord | null> {
    return this.model.findOne({ _id: messageId, userId: owner }).lean<MessageRecord>();
  }

  /** Some of the owner's messages of a session by id, in no particular order. */
  findManyOwned(owner: Types.ObjectId, sessionId: Types.ObjectId, messageIds: Types.ObjectId[]): Promise<MessageRecord[]> {
    return this.model.find({ _id: { $in: messageIds }, sessionId, userId: owner }).lean<MessageRecord[]>();
  }

  /** Up to `limit` of the shown messages of a session before `before` (or the newest), newest first. */
  page(owner: Types.ObjectId, sessionId: Types.ObjectId, limit: number, before?: Pick<MessageRecord, '_id' | 'createdAt'>): Promise<MessageRecord[]> {
    const older = before ? { $or: [{ createdAt: { $lt: before.createdAt } }, { createdAt: before.createdAt, _id: { $lt: before._id } }] } : {};
    return this.model.find({ sessionId, userId: owner, ...SHOWN, ...older }).sort({ createdAt: -1, _id: -1 }).limit(limit).lean<MessageRecord[]>();
  }

  /** The id of the newest shown message of a session (what a new message follows), or `null` when it has none. */
  async findLastShownId(owner: Types.ObjectId, sessionId: Types.ObjectId): Promise<Types.ObjectId | null> {
    const last = await this.model.findOne({ sessionId, userId: owner, ...SHOWN }).sort({ createdAt: -1, _id: -1 }).select({ _id: 1 }).lean<Pick<MessageRecord, '_id'>>();
    return last?._id ?? null;
  }

  /**
   * The owner's shown messages that hold any of the words of `search` (a MongoDB `$text` search: whole words, by
   * stem), best first, at most `limit`.
   */
  searchText(owner: Types.ObjectId, search: string, limit: number): Promise<TextHit[]> {
    return this.model
      .find({ userId: owner, $text: { $search: search }, ...SHOWN }, { sessionId: 1, score: { $meta: 'textScore' } })
      .sort({ score: { $meta: 'textScore' } })
      .limit(limit)
      .lean<TextHit[]>();
  }

  /** The text of some of the owner's messages, by id. */
  readContents(owner: Types.ObjectId, messageIds: Types.ObjectId[]): Promise<Pick<MessageRecord, '_id' | 'content'>[]> {
    return this.model.find({ _id: { $in: messageIds }, userId: owner }).select({ content: 1 }).lean<Pick<MessageRecord, '_id' | 'content'>[]>();
  }

  /** Every message of the owner's session as a node of its conversation tree (no text). */
  readTree(owner: Types.ObjectId, sessionId: Types.ObjectId): Promise<TreeNode[]> {
    return this.model
      .find({ sessionId, userId: owner })
      .select({ role: 1, parentId: 1, replyTo: 1, hidden: 1, shownAt: 1, versionGroup: 1, createdAt: 1 })
      .lean<TreeNode[]>();
  }

  /** The ids of every version in these groups, oldest first. */
  findVersions(owner: Types.ObjectId, sessionId: Types.ObjectId, groups: Types.ObjectId[]): Promise<VersionEntry[]> {
    return this.model
      .find({ sessionId, userId: owner, versionGroup: { $in: groups } })
      .sort({ createdAt: 1, _id: 1 })
      .select({ versionGroup: 1, createdAt: 1 })
      .lean<VersionEntry[]>();
  }

  /** Makes a message the first version of its group, unless it already is in one. */
  async startVersionGroup(owner: Types.ObjectId, messageId: Types.ObjectId): Promise<void> {
    await this.model.updateOne({ _id: messageId, userId: owner, versionGroup: { $exists: false } }, { $set: { versionGroup: messageId } }, { timestamps: false });
  }

  /** Shows some messages of a session (stamping when) and hides others: the session then shows another branch. */
  async switchBranch(owner: Types.ObjectId, sessionId: Types.ObjectId, show: Types.ObjectId[], hide: Types.ObjectId[], at: Date): Promise<void> {
    await Promise.all([
      show.length > 0 && this.model.updateMany({ _id: { $in: show }, sessionId, userId: owner }, { $set: { shownAt: at }, $unset: { hidden: 1 } }, { timestamps: false }),
      hide.length > 0 && this.model.updateMany({ _id: { $in: hide }, sessionId, userId: owner }, { $set: { hidden: true } }, { timestamps: false }),
    ]);
  }

  /**
   * Sets (or, with `null`, removes) the visitor's rating of one of the owner's assistant messages. The message as it
   * was before, or `null` when the owner has no such assistant message.
   */
  setFeedback(owner: Types.ObjectId, messageId: Types.ObjectId, feedback: MessageRecord['feedback'] | null): Promise<MessageRecord | null> {
    const update = feedback ? { $set: { feedback } } : { $unset: { feedback: 1 } };
    return this.model
      .findOneAndUpdate({ _id: messageId, userId: owner, role: 'assistant' }, update, { returnDocument: 'before', timestamps: false })
      .lean<MessageRecord>();
  }

  /** The conversation of a session as sent upstream, newest first: user messages and replies that hold text. */
  readHistory(owner: Types.ObjectId, sessionId: Types.ObjectId, limit: number, excluding?: Types.ObjectId): Promise<StoredTurn[]> {
    return this.model
      .find({
        sessionId,
        userId: owner,
        role: { $in: ['user', 'assistant'] },
        status: { $in: ['complete', 'stopped'] },
        ...SHOWN,
        ...(excluding ? { _id: { $ne: excluding } } : {}),
      })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .select({ role: 1, content: 1 })
      .lean<StoredTurn[]>();
  }

  /** Whether no shown message of the session came after this one. */
  async isLatest(owner: Types.ObjectId, message: MessageRecord): Promise<boolean> {
    const newer = await this.model.exists({
      sessionId: message.sessionId,
      userId: owner,
      ...SHOWN,
      $or: [{ createdAt: { $gt: message.createdAt } }, { createdAt: message.createdAt, _id: { $gt: message._id } }],
    });
    return newer === null;
  }

  /** Deletes every message of the owner's session. */
  async deleteSession(owner: Types.ObjectId, sessionId: Types.ObjectId): Promise<void> {
    await this.model.deleteMany({ sessionId, userId: owner });
  }

  /** Deletes every message of the owner. */
  async deleteAll(owner: Types.ObjectId): Promise<void> {
    await this.model.deleteMany({ userId: owner });
  }

  /**
   * Flags the session's streaming replies (or, without `sessionId`, every streaming reply of the owner) to stop;
   * whichever process writes them notices the flag.
   */
  async requestStop(owner: Types.ObjectId, sessionId?: Types.ObjectId): Promise<void> {
    await this.model.updateMany(
      { userId: owner, ...(sessionId ? { sessionId } : {}), role: 'assistant', status: 'streaming', stopRequested: { $ne: true } },
      { $set: { stopRequested: true } },
      { timestamps: false },
    );
  }

  /**
   * Up to `limit` replies still streaming but unchanged since `unchangedSince`, across owners, longest unchanged
   * first: the sweep checks each one's lock. A live reply saves its text as it grows, so these are few.
   */
  findStreaming(unchangedSince: Date, limit: number): Promise<StreamingReply[]> {
    return this.model
      .find({ status: 'streaming', updatedAt: { $lt: unchangedSince } })
      .sort({ updatedAt: 1 })
      .limit(limit)
      .select({ sessionId: 1, userId: 1, updatedAt: 1 })
      .lean<StreamingReply[]>();
  }

  /**
   * Ends a reply whose writer went away (its lock lapsed) as an error, if it still streams, and with `unchangedSince`
   * only if nothing wrote to it since then (a Retry may have begun writing it anew). The reply after, or `null`.
   */
  async markInterrupted(owner: Types.ObjectId, replyId: Types.ObjectId, unchangedSince?: Date): Promise<MessageRecord | null> {
    return this.model
      .findOneAndUpdate(
        { _id: replyId, userId: owner, status: 'streaming', ...(unchangedSince ? { updatedAt: unchangedSince } : {}) },
        { $set: { status: 'error', error: { type: 'interrupted', message: 'The reply was interrupted before it finished.' } } },
        { returnDocument: 'after' },
      )
      .lean<MessageRecord>();
  }

  /** Empties a failed or stopped reply to write it anew with `model`; `null` when it changed meanwhile. */
  restartReply(owner: Types.ObjectId, replyId: Types.ObjectId, model: string): Promise<MessageRecord | null> {
    return this.model
      .findOneAndUpdate(
        { _id: replyId, userId: owner, status: { $in: ['error', 'stopped'] } },
        { $set: { content: '', status: 'streaming', model, stopRequested: false }, $unset: { error: 1, usage: 1 } },
        { returnDocument: 'after' },
      )
      .lean<MessageRecord>();
  }

  /** Saves a reply's text so far (or only reads it back) and returns its stop flag; `null` when not found. */
  saveReplyText(owner: Types.ObjectId, replyId: Types.ObjectId, content?: string): Promise<Pick<MessageRecord, 'stopRequested'> | null> {
    const filter = { _id: replyId, userId: owner };
    const projection = { stopRequested: 1 };
    if (content === undefined) return this.model.findOne(filter, projection).lean();
    return this.model.findOneAndUpdate(filter, { $set: { content } }, { projection, returnDocument: 'after' }).lean();
  }

  /** Stores a reply's end; `false` when not found. */
  async finishReply(owner: Types.ObjectId, replyId: Types.ObjectId, end: ReplyEnd): Promise<boolean> {
    const set = { content: end.content, status: end.status, ...(end.error ? { error: end.error } : {}), ...(end.usage ? { usage: end.usage } : {}) };
    const result = await this.model.updateOne({ _id: replyId, userId: owner }, { $set: set });
    return result.matchedCount === 1;
  }

  /**
   * Who owns a reply now, found by the reply's and its session's ids (both made by this server, never by a client).
   * Only a reply's writer or follower calls it, after a write under the owner it knew found nothing.
   */
  async findCurrentOwner(sessionId: Types.ObjectId, replyId: Types.ObjectId): Promise<Types.ObjectId | null> {
    const record = await this.model.findOne({ _id: replyId, sessionId }).select({ userId: 1 }).lean<Pick<MessageRecord, 'userId'>>();
    return record?.userId ?? null;
  }
}
