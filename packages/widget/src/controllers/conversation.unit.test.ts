import { describe, expect, it } from 'vitest';
import type { Message } from '@ai-chat/protocol';
import { ProviderError } from '@ai-chat/sdk';
import type { AiErrorEvent } from '../events.js';
import { FakeChatClient, fakeMessage, fakeSession, type FakeStream } from '../testing/fake-chat-client.js';
import { createChat, until } from '../testing/fake-host.js';

/** Plays the server's side of a reply on a fake stream: start, text, end. */
function answer(stream: FakeStream, text: string, ids = { user: `u-${stream.params.clientMessageId}`, reply: `a-${stream.params.clientMessageId}` }): Message {
  const { sessionId, content, clientMessageId } = stream.params;
  const user = fakeMessage(sessionId, ids.user, 'user', { content, ...(clientMessageId ? { clientMessageId } : {}) });
  const streaming = fakeMessage(sessionId, ids.reply, 'assistant', { content: '', status: 'streaming' });
  const done = { ...streaming, content: text, status: 'complete' as const };
  stream.push({ type: 'message-start', userMessage: user, assistantMessage: streaming }, { type: 'text-delta', messageId: ids.reply, delta: text });
  stream.push({ type: 'message-end', message: done });
  stream.end();
  return done;
}

const contents = (messages: Message[]) => messages.map((message) => `${message.role}:${message.content}:${message.status}`);

describe('conversation: messages, streams, send, stop, retry, older pages', () => {
  it('a first visit sends twice at once: one session, both messages, the second after the first reply', async () => {
    const fake = new FakeChatClient();
    const { host, connection, conversation, sessions } = createChat(() => fake.asClient());
    await connection.start();
    const first = conversation.send('First');
    const second = conversation.send('Second');
    await until(() => fake.streams.length === 1, 'the first stream');
    expect(fake.callsOf('sessions.create')).toHaveLength(1);
    expect(conversation.isStreaming).toBe(true);
    answer(fake.streams[0]!, 'One');
    await first;
    await until(() => fake.streams.length === 2, 'the queued send');
    expect(fake.streams[1]!.params.content).toBe('Second');
    answer(fake.streams[1]!, 'Two');
    await second;
    expect(sessions.sessions).toHaveLength(1);
    expect(contents(conversation.history.messages)).toEqual(['user:First:complete', 'assistant:One:complete', 'user:Second:complete', 'assistant:Two:complete']);
    expect(conversation.isStreaming).toBe(false);
    expect(host.eventNames().filter((name) => name === 'ai-response-end')).toHaveLength(2);
  });

  it('a finished stream removes only itself: a newer stream of the same session stays tracked', async () => {
    const fake = new FakeChatClient({ sessions: [fakeSession('s1')] });
    fake.streamsEndOnAbort = false;
    const client = fake.asClient();
    const { chat, connection, conversation } = createChat(() => client);
    await connection.start();
    void conversation.send('Before the switch');
    await until(() => fake.streams.length === 1, 'the first stream');
    chat.reset();
    await connection.start();
    expect(fake.streams[0]!.isAborted).toBe(true);
    void conversation.send('After the switch');
    await until(() => fake.streams.length === 2, 'the second stream');
    fake.streams[0]!.end();
    await until(() => fake.streams[0]!.isDrained, 'the old stream to end');
    await new Promise((resolve) => setImmediate(resolve));
    expect(conversation.isStreaming).toBe(true);
    await conversation.stop();
    expect(fake.callsOf('sessions.stop').map((call) => call.args[0])).toEqual(['s1']);
    answer(fake.streams[1]!, 'Done');
    await until(() => !conversation.isStreaming, 'the second stream to end');
    expect(contents(conversation.history.messages)).toEqual(['user:After the switch:complete', 'assistant:Done:complete']);
  });

  it('latest messages of a previous visitor never land after the user changes', async () => {
    const old = new FakeChatClient({ sessions: [fakeSession('s1')] });
    old.messages.set('s1', [fakeMessage('s1', 'secret', 'user')]);
    const next = new FakeChatClient({ sessions: [fakeSession('s1')], token: 'other' });
    next.messages.set('s1', [fakeMessage('s1', 'mine', 'user')]);
    let client = old;
    const { chat, connection, conversation } = createChat(() => client.asClient());
    const held = old.hold('messages.list');
    const firstStart = connection.start();
    await until(() => old.callsOf('messages.list').length === 1, 'the old messages call');
    client = next;
    chat.reset();
    await connection.start();
    held.release();
    await firstStart;
    expect(conversation.history.messages.map((message) => message.id)).toEqual(['mine']);
  });

  it('loads older pages in front, and an older page of a previous server never lands', async () => {
    const fake = new FakeChatClient({ sessions: [fakeSession('s1')] });
    fake.messages.set('s1', ['m1', 'm2', 'm3', 'm4', 'm5'].map((id) => fakeMessage('s1', id, 'user')));
    const { chat, connection, conversation } = createChat(() => fake.asClient());
    await connection.start();
    expect(conversation.history.messages.map((message) => message.id)).toEqual(['m4', 'm5']);
    await conversation.loadOlder();
    expect(conversation.history.messages.map((message) => message.id)).toEqual(['m2', 'm3', 'm4', 'm5']);
    expect(fake.callsOf('messages.list').at(-1)!.args[1]).toMatchObject({ before: 'm4' });

    const held = fake.hold('messages.list');
    const older = conversation.loadOlder();
    await until(() => fake.callsOf('messages.list').length === 3, 'the older call');
    chat.reset();
    await until(() => fake.callsOf('messages.list').length === 4, 'the new start');
    held.release();
    await older;
    await connection.start();
    expect(conversation.history.messages.map((message) => message.id)).toEqual(['m4', 'm5']);
  });

  it('a failed stream marks the reply failed with ai-error; Retry streams again in its place with the same clientMessageId', async () => {
    const fake = new FakeChatClient({ sessions: [fakeSession('s1')] });
    const { host, connection, conversation } = createChat(() => fake.asClient());
    await connection.start();
    const sending = conversation.send('Hello');
    await until(() => fake.streams.length === 1, 'the stream');
    const stream = fake.streams[0]!;
    const user = fakeMessage('s1', 'u1', 'user', { content: 'Hello', clientMessageId: stream.params.clientMessageId! });
    stream.push({ type: 'message-start', userMessage: user, assistantMessage: fakeMessage('s1', 'a1', 'assistant', { content: '', status: 'streaming' }) });
    stream.fail(Object.assign(new Error('The provider failed'), { type: 'provider_error' }));
    await sending;
    const failed = conversation.history.messages.at(-1)!;
    expect(failed).toMatchObject({ id: 'a1', status: 'error', error: { type: 'provider_error', message: 'The provider failed' } });
    expect(host.eventNames()).toContain('ai-error');

    const retrying = conversation.retry('a1');
    await until(() => fake.streams.length === 2, 'the retry');
    expect(fake.streams[1]!.params.clientMessageId).toBe(stream.params.clientMessageId);
    expect(conversation.history.messages.at(-1)).toMatchObject({ id: 'a1', status: 'streaming', content: '' });
    answer(fake.streams[1]!, 'Better', { user: 'u1', reply: 'a1' });
    await retrying;
    expect(contents(conversation.history.messages)).toEqual(['user:Hello:complete', 'assistant:Better:complete']);
  });

  it('a reply that ends in error sends ai-error with the SDK error class, not a plain object', async () => {
    const fake = new FakeChatClient({ sessions: [fakeSession('s1')] });
    const { host, connection, conversation } = createChat(() => fake.asClient());
    await connection.start();
    const sending = conversation.send('Fail politely');
    await until(() => fake.streams.length === 1, 'the stream');
    const stream = fake.streams[0]!;
    const user = fakeMessage('s1', 'u1', 'user', { content: 'Fail politely', clientMessageId: stream.params.clientMessageId! });
    const reply = fakeMessage('s1', 'a1', 'assistant', { content: '', status: 'streaming' });
    stream.push({ type: 'message-start', userMessage: user, assistantMessage: reply });
    stream.push({ type: 'message-end', message: { ...reply, status: 'error', error: { type: 'provider_error', message: 'The vendor is down' } } });
    stream.end();
    await sending;
    const errors = host.events.filter((event): event is AiErrorEvent => event.type === 'ai-error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error).toBeInstanceOf(ProviderError);
    expect(errors[0]!.error).toMatchObject({ type: 'provider_error', status: 502, message: 'The vendor is down' });
    expect(conversation.history.messages.at(-1)).toMatchObject({ status: 'error', error: { type: 'provider_error' } });
  });

  it('an aborted stream ends its reply as stopped, without ai-error', async () => {
    const fake = new FakeChatClient({ sessions: [fakeSession('s1')] });
    const { host, connection, conversation } = createChat(() => fake.asClient());
    await connection.start();
    const sending = conversation.send('Stop me');
    await until(() => fake.streams.length === 1, 'the stream');
    fake.streams[0]!.abort();
    await sending;
    expect(conversation.history.messages.at(-1)!.status).toBe('stopped');
    expect(host.eventNames()).not.toContain('ai-error');
  });

  it('follows a reply that was still being written when the session loaded', async () => {
    const fake = new FakeChatClient({ sessions: [fakeSession('s1')] });
    fake.messages.set('s1', [
      fakeMessage('s1', 'u1', 'user', { content: 'Go on', clientMessageId: 'c1' }),
      fakeMessage('s1', 'a1', 'assistant', { content: 'Half', status: 'streaming' }),
    ]);
    const { connection, conversation } = createChat(() => fake.asClient());
    await connection.start();
    await until(() => fake.streams.length === 1, 'the resumed stream');
    expect(fake.streams[0]!.params).toMatchObject({ sessionId: 's1', content: 'Go on', clientMessageId: 'c1' });
    expect(conversation.history.messages.at(-1)!.content).toBe('Half');
    answer(fake.streams[0]!, 'Half and whole', { user: 'u1', reply: 'a1' });
    await until(() => !conversation.isStreaming, 'the end');
    expect(contents(conversation.history.messages)).toEqual(['user:Go on:complete', 'assistant:Half and whole:complete']);
  });
});
