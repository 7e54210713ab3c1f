import type { Message } from '@ai-chat/protocol';

/** Ids in the server's format. */
export const SESSION_ID = '65a000000000000000000001';
export const USER_MESSAGE_ID = '65a000000000000000000002';
export const ASSISTANT_MESSAGE_ID = '65a000000000000000000003';

/** A message as the server would send it. */
export function fixtureMessage(fields: Partial<Message> = {}): Message {
  return {
    id: ASSISTANT_MESSAGE_ID,
    sessionId: SESSION_ID,
    role: 'assistant',
    content: '',
    model: 'demo',
    status: 'streaming',
    createdAt: '2025-01-01T00:00:00.000Z',
    ...fields,
  };
}

/** One SSE event in the server's format, with the line end a test asks for. */
export function sseEvent(event: string, data: unknown, lineEnd = '\n'): string {
  return `event: ${event}${lineEnd}data: ${JSON.stringify(data)}${lineEnd}${lineEnd}`;
}

/** A whole reply stream whose text is `parts` joined: start, a comment, one delta per part, end. */
export function replyStream(parts: string[], lineEnd = '\n'): string {
  const userMessage = fixtureMessage({ id: USER_MESSAGE_ID, role: 'user', content: 'hi', model: null, status: 'complete' });
  return [
    sseEvent('message-start', { userMessage, assistantMessage: fixtureMessage() }, lineEnd),
    `: ping${lineEnd}${lineEnd}`,
    ...parts.map((delta) => sseEvent('text-delta', { messageId: ASSISTANT_MESSAGE_ID, delta }, lineEnd)),
    sseEvent('message-end', { message: fixtureMessage({ content: parts.join(''), status: 'complete' }) }, lineEnd),
  ].join('');
}

/** The headers of an event stream. */
export const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
