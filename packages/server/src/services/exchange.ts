import { Types } from 'mongoose';
import type { ExchangeChanges } from '../data/session.store.js';
import type { ChatSessionRecord, MessageRecord } from '../models/index.js';
import { previewOf, titleFromMessage } from './message-text.js';

/** A session's reply lock held by this process for `replyId`, with the session as it was when the lock was taken. */
export interface HeldLock {
  owner: Types.ObjectId;
  session: ChatSessionRecord;
  replyId: Types.ObjectId;
  /** Until when the lock is surely this process's (when it was asked for, plus its lifetime), in epoch milliseconds. */
  validUntil: number;
}

/** What a visitor's new message is: its text, the message it follows, and (for an edit) its version group. */
export interface UserMessageFields {
  content: string;
  clientMessageId?: string | undefined;
  /** The message it follows (`null` when it is the session's first). */
  parentId: Types.ObjectId | null;
  versionGroup?: Types.ObjectId | undefined;
}

/** The visitor's message of a new exchange, not yet stored. */
export function newUserMessage(session: ChatSessionRecord, fields: UserMessageFields, createdAt: Date): MessageRecord {
  return {
    _id: new Types.ObjectId(),
    sessionId: session._id,
    userId: session.userId,
    role: 'user',
    content: fields.content,
    model: null,
    status: 'complete',
    parentId: fields.parentId,
    ...(fields.versionGroup ? { versionGroup: fields.versionGroup } : {}),
    ...(fields.clientMessageId !== undefined ? { clientMessageId: fields.clientMessageId } : {}),
    createdAt,
    updatedAt: createdAt,
  };
}

/**
 * The reply placeholder that answers a user message, not yet stored; it sorts right after the message (and after
 * every earlier version of the reply, which `after` names).
 */
export function newReply(lock: HeldLock, userMessage: MessageRecord, model: string, after?: Date): MessageRecord {
  const createdAt = new Date(Math.max(Date.now(), userMessage.createdAt.getTime() + 1, (after?.getTime() ?? 0) + 1));
  return {
    _id: lock.replyId,
    sessionId: lock.session._id,
    userId: lock.owner,
    role: 'assistant',
    content: '',
    model,
    status: 'streaming',
    replyTo: userMessage._id,
    parentId: userMessage._id,
    createdAt,
    updatedAt: createdAt,
  };
}

/** What storing an exchange changes on its session: counters, last message, model, branch end, and a first title. */
export function exchangeChanges(session: ChatSessionRecord, model: string, userMessage: MessageRecord, reply: MessageRecord): ExchangeChanges {
  const isFirstMessage = session.titleSource === 'default' && session.messageCount === 0;
  const at = new Date();
  return {
    model,
    lastMessage: { role: 'user', preview: previewOf(userMessage.content), createdAt: userMessage.createdAt },
    title: isFirstMessage ? titleFromMessage(userMessage.content) : undefined,
    tailId: reply._id,
    at,
  };
}

/** The session as {@link exchangeChanges} leave it, known before the write is answered. */
export function sessionAfter(session: ChatSessionRecord, changes: ExchangeChanges): ChatSessionRecord {
  return {
    ...session,
    model: changes.model,
    messageCount: session.messageCount + 2,
    lastMessage: changes.lastMessage,
    tailId: changes.tailId,
    updatedAt: changes.at,
    ...(changes.title ? { title: changes.title, titleSource: 'first-message' as const } : {}),
  };
}
