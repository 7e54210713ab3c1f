import { describe, expect, it } from 'vitest';
import type { Message } from '@ai-chat/protocol';
import { FakeChatClient, fakeMessage, fakeSession, type FakeStream } from '../testing/fake-chat-client.js';
import { createChat, until } from '../testing/fake-host.js';

/** Plays the server's side of a reply on a fake stream: start, text, end (ids made from its `clientMessageId`). */
function answer(stream: FakeStream, text: string): void {
  const { sessionId, content, clientMessageId } = stream.params;
  const user = fakeMessage(sessionId, `u-${clientMessageId}`, 'user', { content, ...(clientMessageId ? { clientMessageId } : {}) });
  const streaming = fakeMessage(sessionId, `a-${clientMessageId}`, 'assistant', { content: '', status: 'streaming' });
  stream.push({ type: 'message-start', userMessage: user, assistantMessage: streaming }, { type: 'text-delta', messageId: streaming.id, delta: text });
  stream.push({ type: 'message-end', message: { ...streaming, content: text, status: 'complete' } });
  stream.end();
}

/** The 409 the server answers a send while a reply is being written in the session. */
const conflict = () => Object.assign(new Error('A reply is being written'), { status: 409, type: 'conflict' });

const contents = (messages: Message[]) => messages.map((message) => `${message.role}:${message.content}:${message.status}`);

describe('send queue: sends after a reply written elsewhere', () => {
  it('a send that meets a reply another tab is writing follows that reply to its end, then goes', async () => {
    const fake = new FakeChatClient({ sessions: [fakeSession('s1')] });
    const { host, connection, conversation } = createChat(() => fake.asClient());
    await connection.start();
    const sending = conversation.send('Mine');
    await until(() => fake.streams.length === 1, 'the first try');
    fake.messages.set('s1', [fakeMessage('s1', 'u-other', 'user', { content: 'Theirs', clientMessageId: 'other' }), fakeMessage('s1', 'a-other', 'assistant', { content: 'Half', status: 'streaming' })]);
    fake.streams[0]!.fail(conflict());
    await until(() => fake.streams.length === 2, 'the followed reply');
    expect(fake.streams[1]!.params).toMatchObject({ sessionId: 's1', content: 'Theirs', clientMessageId: 'other' });
    expect(contents(conversation.history.messages)).toEqual(['user:Theirs:complete', 'assistant:Half:streaming']);
    answer(fake.streams[1]!, 'Their answer');
    await until(() => fake.streams.length === 3, 'the second try');
    expect(fake.streams[2]!.params.content).toBe('Mine');
    answer(fake.streams[2]!, 'My answer');
    await expect(sending).resolves.toBe('sent');
    expect(contents(conversation.history.messages)).toEqual(['user:Theirs:complete', 'assistant:Their answer:complete', 'user:Mine:complete', 'assistant:My answer:complete']);
    expect(connection.failure).toBeNull();
    expect(host.eventNames()).not.toContain('ai-error');
  });

  it('gives up after three conflicts: the turn is taken back, the banner says why, and the send resolves failed', async () => {
    const fake = new FakeChatClient({ sessions: [fakeSession('s1')] });
    const { connection, conversation } = createChat(() => fake.asClient());
    await connection.start();
    const sending = conversation.send('Mine');
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await until(() => fake.streams.length === attempt, `try ${attempt}`);
      fake.streams[attempt - 1]!.fail(conflict());
    }
    await expect(sending).resolves.toBe('failed');
    expect(fake.streams).toHaveLength(3);
    expect(conversation.history.messages).toEqual([]);
    expect(connection.failure?.error).toMatchObject({ status: 409 });
  });

  it('a message longer than the server accepts is refused before anything is sent', async () => {
    const fake = new FakeChatClient({ sessions: [fakeSession('s1')] });
    const { connection, conversation } = createChat(() => fake.asClient());
    await connection.start();
    const tooLong = 'x'.repeat(connection.scope!.limits.contentMaxLength + 1);
    await expect(conversation.send(tooLong)).resolves.toBe('refused');
    await expect(conversation.send('   ')).resolves.toBe('refused');
    expect(fake.streams).toHaveLength(0);
    expect(connection.failure?.error).toMatchObject({ name: 'MessageTooLongError' });
  });
});
