import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { Message, MessageStatus, Role } from '@ai-chat/protocol';

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

/** The mongoose model of `messages`. */
export type MessageModel = Model<MessageRecord>;

/** Registers (once) and returns the messages model on a connection. */
export function messageModel(connection: Connection): MessageModel {
  return (connection.models.Message as MessageModel | undefined) ?? connection.model<MessageRecord>('Message', messageSchema);
}

/** A stored message in the contract's shape. */
export function toMessage(record: MessageRecord): Message {
  return {
    id: record._id.toHexString(),
    sessionId: record.sessionId.toHexString(),
    role: record.role,
    content: record.content,
    model: record.model ?? null,
    status: record.status,
    ...(record.error ? { error: { type: record.error.type, message: record.error.message } } : {}),
    ...(record.clientMessageId ? { clientMessageId: record.clientMessageId } : {}),
    createdAt: record.createdAt.toISOString(),
  };
}
