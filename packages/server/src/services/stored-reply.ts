import type { ChatEvent, Usage } from '@ai-chat/protocol';
import { toMessage, type ChatSessionRecord, type MessageRecord, type Models } from '../models/index.js';
import type { ReplyListener, ReplyResult } from './reply-generation.js';

/**
 * A reply that this process is not writing, answered from the database for a retried `clientMessageId`: a finished
 * one at once (one `text-delta` with its text, then `message-end`); one that another process is still writing by
 * following the stored text until it ends.
 */
export function replayStoredReply(
  models: Models,
  userMessage: MessageRecord,
  reply: MessageRecord,
  timing: { pollIntervalMs: number; lockTtlMs: number },
): { subscribe(listener: ReplyListener): () => void; finished: Promise<ReplyResult> } {
  const listeners = new Set<ReplyListener>();
  let current = reply;
  let done = reply.status !== 'streaming';
  const start = (): ChatEvent => ({
    type: 'message-start',
    userMessage: toMessage(userMessage),
    assistantMessage: toMessage({ ...reply, content: '', status: 'streaming' }),
  });
  const end = (): ChatEvent => ({ type: 'message-end', message: toMessage(current), ...(current.usage ? { usage: current.usage as Usage } : {}) });
  const emit = (event: ChatEvent) => listeners.forEach((listener) => listener(event));

  const finished = done ? Promise.resolve(result()) : follow();

  function result(): ReplyResult {
    return { userMessage: toMessage(userMessage), assistantMessage: toMessage(current), usage: current.usage as Usage | undefined };
  }

  async function follow(): Promise<ReplyResult> {
    while (!done) {
      await new Promise((resolve) => setTimeout(resolve, timing.pollIntervalMs));
      const latest = await models.Message.findOne({ _id: reply._id }).lean<MessageRecord>();
      if (!latest) {
        current = { ...current, status: 'error', error: { type: 'not_found', message: 'The reply was deleted.' } };
      } else {
        if (latest.content.length > current.content.length && latest.content.startsWith(current.content)) {
          emit({ type: 'text-delta', messageId: reply._id.toHexString(), delta: latest.content.slice(current.content.length) });
        }
        current = latest;
        if (latest.status === 'streaming' && (await isOrphaned(models, latest))) {
          current = { ...latest, status: 'error', error: { type: 'interrupted', message: 'The reply was interrupted before it finished.' } };
          await models.Message.updateOne({ _id: latest._id, status: 'streaming' }, { $set: { status: current.status, error: current.error } });
        }
      }
      done = current.status !== 'streaming';
    }
    emit(end());
    listeners.clear();
    return result();
  }

  return {
    finished,
    subscribe(listener) {
      listener(start());
      if (current.content) listener({ type: 'text-delta', messageId: reply._id.toHexString(), delta: current.content });
      if (done) {
        listener(end());
        return () => {};
      }
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Whether no process holds the session's reply lock for this message any more. */
async function isOrphaned(models: Models, message: MessageRecord): Promise<boolean> {
  const session = await models.ChatSession.findOne({ _id: message.sessionId }, { replyLock: 1 }).lean<ChatSessionRecord>();
  const lock = session?.replyLock;
  return !lock || !lock.messageId.equals(message._id) || lock.expiresAt.getTime() < Date.now();
}
