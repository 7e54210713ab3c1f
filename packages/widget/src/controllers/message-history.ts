import type { ChatEvent, Message } from '@ai-chat/protocol';
import { APIError } from '@ai-chat/sdk';

/** The messages of one session as far as they are loaded. */
export interface SessionMessages {
  messages: Message[];
  hasMore: boolean;
  isLoaded: boolean;
  isLoadingOlder: boolean;
}

/** The history of a session with nothing loaded yet (`isLoaded` false) or known to be empty (true). */
export function emptyHistory(isLoaded = true): SessionMessages {
  return { messages: [], hasMore: false, isLoaded, isLoadingOlder: false };
}

/** The visitor's message that the reply at `index` answers: the nearest user message before it. */
export function findQuestion(messages: Message[], index: number): Message | undefined {
  for (let position = index - 1; position >= 0; position -= 1) {
    if (messages[position]?.role === 'user') return messages[position];
  }
  return undefined;
}

/** Replaces one message (by id) with what `change` makes of it; the others keep their identity. */
export function replaceMessage(history: SessionMessages, messageId: string, change: (message: Message) => Message): void {
  history.messages = history.messages.map((message) => (message.id === messageId ? change(message) : message));
}

/** The local question and reply placeholder shown at once when a message is sent, until the server's arrive. */
export function localTurn(sessionId: string, content: string, clientMessageId: string, model: string | null): [Message, Message] {
  const base = { sessionId, model: null, createdAt: new Date().toISOString(), clientMessageId };
  return [
    { ...base, id: `local-user-${clientMessageId}`, role: 'user', content, status: 'complete' },
    { ...base, id: `local-reply-${clientMessageId}`, role: 'assistant', content: '', status: 'streaming', model },
  ];
}

/**
 * Puts the server's messages of a `message-start` where the local ones stand (new ones at the end; a retried or
 * resumed reply in place). Returns whether the reply was joined midway: the server then sends its text again from
 * the start, and the text shown so far stays until it arrives.
 */
export function mergeStart(history: SessionMessages, event: Extract<ChatEvent, { type: 'message-start' }>, replyId: string): boolean {
  const { userMessage, assistantMessage } = event;
  const clientMessageId = userMessage.clientMessageId;
  let isRestart = false;
  const messages = history.messages.map((message) => {
    if (message.id === userMessage.id || message.id === `local-user-${clientMessageId}`) return { ...userMessage, clientMessageId };
    if (message.id !== assistantMessage.id && message.id !== replyId) return message;
    if (!message.content || assistantMessage.content) return assistantMessage;
    isRestart = true;
    return { ...assistantMessage, content: message.content };
  });
  history.messages = messages.filter((message, index) => messages.findIndex((other) => other.id === message.id) === index);
  return isRestart;
}

/** A stream that failed or was aborted: how its reply ends (`stopped` when aborted, else `error` with why). */
export function endedReply(reply: Message, error: unknown): Message {
  if (reply.status !== 'streaming') return reply;
  if (isAbort(error)) return { ...reply, status: 'stopped' };
  const type = (error as { type?: string } | null)?.type ?? 'connection_error';
  const message = error instanceof Error ? error.message : String(error);
  return { ...reply, status: 'error', error: { type, message } };
}

/** Whether an error only says that the stream was aborted on purpose. */
export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'APIUserAbortError' || error.name === 'AbortError');
}

/**
 * The SDK error class for an error the server described as `{ type, message }` (a reply that ended in `error`, or a
 * stream's `error` event): `ai-error` always carries an SDK error instance, e.g. `ProviderError` for `provider_error`.
 */
export function toChatError(error: { type: string; message: string } | undefined): APIError {
  return APIError.generate(undefined, { error: error ?? { type: 'internal', message: 'The reply failed.' } }, undefined, undefined);
}

/**
 * The loaded messages older than a freshly loaded latest page: those before the page's first message, kept when the
 * page is laid over the history (a reload after a send, a regenerate or an edit does not drop older loaded pages).
 * Empty when the page starts the history or is not part of it.
 */
export function olderThanLatest(history: SessionMessages | undefined, latest: readonly Message[]): Message[] {
  const first = latest[0]?.id;
  const index = history && first ? history.messages.findIndex((message) => message.id === first) : -1;
  return history && index > 0 ? history.messages.slice(0, index) : [];
}
