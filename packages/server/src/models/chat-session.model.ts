import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { Role, SessionSummary } from '@ai-chat/protocol';

/** The reply being written in a session: one at a time, across every server process sharing the database. */
export interface ReplyLock {
  messageId: Types.ObjectId;
  /** The lock lapses at this time unless the writing process renews it (it does while it streams). */
  expiresAt: Date;
}

/** A stored chat session, with the counters and last message that the session list shows. */
export interface ChatSessionRecord {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  title: string;
  /** Where the title came from: a new session's placeholder, the first message, a title model, or the visitor. */
  titleSource: 'default' | 'first-message' | 'generated' | 'user';
  model: string;
  messageCount: number;
  lastMessage: { role: Role; preview: string; createdAt: Date } | null;
  replyLock: ReplyLock | null;
  /**
   * The last message of the branch the session shows, which a new message follows. Sessions stored before versions
   * existed have none until their next exchange (the newest shown message is looked up then).
   */
  tailId?: Types.ObjectId | null | undefined;
  /**
   * Set when an erase began: the session is then invisible, takes no new reply lock, and is deleted (with its
   * messages) once no reply holds its lock. A sweep finishes an erase whose process went away.
   */
  erasingSince?: Date | null | undefined;
  createdAt: Date;
  updatedAt: Date;
}

const chatSessionSchema = new Schema<ChatSessionRecord>(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    title: { type: String, required: true },
    titleSource: { type: String, enum: ['default', 'first-message', 'generated', 'user'], default: 'default' },
    model: { type: String, required: true },
    messageCount: { type: Number, default: 0 },
    lastMessage: {
      type: new Schema(
        { role: { type: String, required: true }, preview: { type: String, required: true }, createdAt: Date },
        { _id: false },
      ),
      default: null,
    },
    replyLock: {
      type: new Schema({ messageId: Schema.Types.ObjectId, expiresAt: Date }, { _id: false }),
      default: null,
    },
    erasingSince: { type: Date },
    tailId: { type: Schema.Types.ObjectId, default: undefined },
  },
  { collection: 'chat_sessions', timestamps: true, versionKey: false },
);
chatSessionSchema.index({ userId: 1, updatedAt: -1, _id: -1 }, { name: 'owner_recent' });
// Search by title, always within one owner.
chatSessionSchema.index({ userId: 1, title: 'text' }, { name: 'owner_title_text' });
// The sweep's way to the few erases a process left half done, without scanning every session.
chatSessionSchema.index({ erasingSince: 1 }, { name: 'erasing', partialFilterExpression: { erasingSince: { $type: 'date' } } });

/** The mongoose model of `chat_sessions`. */
export type ChatSessionModel = Model<ChatSessionRecord>;

/** Registers (once) and returns the chat sessions model on a connection. */
export function chatSessionModel(connection: Connection): ChatSessionModel {
  return (
    (connection.models.ChatSession as ChatSessionModel | undefined) ??
    connection.model<ChatSessionRecord>('ChatSession', chatSessionSchema)
  );
}

/** A stored session in the contract's shape. */
export function toSessionSummary(record: ChatSessionRecord): SessionSummary {
  return {
    id: record._id.toHexString(),
    title: record.title,
    model: record.model,
    messageCount: record.messageCount,
    lastMessage: record.lastMessage
      ? {
          role: record.lastMessage.role,
          preview: record.lastMessage.preview,
          createdAt: (record.lastMessage.createdAt ?? record.updatedAt).toISOString(),
        }
      : null,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}
