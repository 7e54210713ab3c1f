import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { Message, MessageStatus, Rating, Role, Versions } from '@ai-chat/protocol';

/** A stored message. Assistant messages are written as they stream and always end with a final status. */
export interface MessageRecord {
  _id: Types.ObjectId;
  sessionId: Types.ObjectId;
  userId: Types.ObjectId;
  role: Role;
  content: string;
  model: string | null;
  status: MessageStatus;
  error?: { type: string; message: string } | undefined;
  clientMessageId?: string | undefined;
  /** For an assistant message: the user message it answers. */
  replyTo?: Types.ObjectId | undefined;
  /**
   * The message this one follows in the conversation (`null` for a session's first message): the links make a tree
   * whose branches are the versions of a turn. Messages stored before versions existed have none; their parent is
   * the message before them (see `ConversationTree`).
   */
  parentId?: Types.ObjectId | null | undefined;
  /** The versions of one turn share this id (the first version's id); a message never versioned has none. */
  versionGroup?: Types.ObjectId | undefined;
  /** Set on every message off the branch the conversation shows (an earlier version and what followed it). */
  hidden?: boolean | undefined;
  /** When the message was last made the version shown (its creation, unless set): the branch to return to. */
  shownAt?: Date | undefined;
  /** The visitor's rating of an assistant message. */
  feedback?: { rating: Rating; reason?: string | undefined; updatedAt: Date } | undefined;
  /** Set by `POST /api/sessions/:id/stop`; the process writing the reply notices it and stops. */
  stopRequested?: boolean | undefined;
  usage?: { inputTokens: number; outputTokens: number } | undefined;
  createdAt: Date;
  updatedAt: Date;
}

const messageSchema = new Schema<MessageRecord>(
  {
    sessionId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    role: { type: String, enum: ['user', 'assistant', 'system'], required: true },
    content: { type: String, default: '' },
    model: { type: String, default: null },
    status: { type: String, enum: ['complete', 'streaming', 'stopped', 'error'], required: true },
    error: { type: new Schema({ type: String, message: String }, { _id: false }), default: undefined },
    clientMessageId: { type: String },
    replyTo: { type: Schema.Types.ObjectId },
    parentId: { type: Schema.Types.ObjectId, default: undefined },
    versionGroup: { type: Schema.Types.ObjectId },
    hidden: { type: Boolean },
    shownAt: { type: Date },
    feedback: {
      type: new Schema({ rating: { type: String, enum: ['up', 'down'], required: true }, reason: String, updatedAt: Date }, { _id: false }),
      default: undefined,
    },
    stopRequested: { type: Boolean },
    usage: { type: new Schema({ inputTokens: Number, outputTokens: Number }, { _id: false }), default: undefined },
  },
  { collection: 'messages', timestamps: true, versionKey: false },
);
messageSchema.index({ sessionId: 1, createdAt: 1, _id: 1 }, { name: 'session_history' });
messageSchema.index(
  { sessionId: 1, clientMessageId: 1 },
  { unique: true, name: 'session_clientMessageId_unique', partialFilterExpression: { clientMessageId: { $exists: true } } },
);
messageSchema.index({ userId: 1 }, { name: 'owner' });
// Search by message text, always within one owner (MongoDB needs the equality on userId to use it).
messageSchema.index({ userId: 1, content: 'text' }, { name: 'owner_text' });
// The versions of the turns on a page of messages, found by their group.
messageSchema.index({ sessionId: 1, versionGroup: 1 }, { name: 'session_versions', partialFilterExpression: { versionGroup: { $exists: true } } });
// The sweep's way to the replies still streaming (a handful at any time), oldest first, without a collection scan.
messageSchema.index({ updatedAt: 1 }, { name: 'streaming_replies', partialFilterExpression: { status: 'streaming' } });

/** The mongoose model of `messages`. */
export type MessageModel = Model<MessageRecord>;

/** Registers (once) and returns the messages model on a connection. */
export function messageModel(connection: Connection): MessageModel {
  return (connection.models.Message as MessageModel | undefined) ?? connection.model<MessageRecord>('Message', messageSchema);
}

/** A stored message in the contract's shape, with its place among its versions when it has others. */
export function toMessage(record: MessageRecord, versions?: Versions): Message {
  return {
    id: record._id.toHexString(),
    sessionId: record.sessionId.toHexString(),
    role: record.role,
    content: record.content,
    model: record.model ?? null,
    status: record.status,
    ...(record.error ? { error: { type: record.error.type, message: record.error.message } } : {}),
    ...(record.clientMessageId ? { clientMessageId: record.clientMessageId } : {}),
    ...(versions ? { versions } : {}),
    ...(record.feedback
      ? {
          feedback: {
            rating: record.feedback.rating,
            ...(record.feedback.reason ? { reason: record.feedback.reason } : {}),
            updatedAt: record.feedback.updatedAt.toISOString(),
          },
        }
      : {}),
    createdAt: record.createdAt.toISOString(),
  };
}
