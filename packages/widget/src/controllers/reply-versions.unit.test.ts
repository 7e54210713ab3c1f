import { describe, expect, it } from 'vitest';
import type { Message } from '@ai-chat/protocol';
import type { AiFeedbackEvent } from '../events.js';
import { FakeChatClient, fakeMessage, fakeSession, type FakeStream } from '../testing/fake-chat-client.js';
import { createChat, until } from '../testing/fake-host.js';

/** Plays the server's side of a new version on a fake stream: start (with these messages), text, end. */
function answer(stream: FakeStream, user: Message, replyId: string, text: string): void {
  const streaming = fakeMessage(user.sessionId, replyId, 'assistant', { content: '', status: 'streaming' });
  stream.push({ type: 'message-start', userMessage: user, assistantMessage: streaming }, { type: 'text-delta', messageId: replyId, delta: text });
  stream.push({ type: 'message-end', message: { ...streaming, content: text, status: 'complete' } });
  stream.end();
}

/** A session `s1` with these messages (by default one question and its rated reply), loaded and active. */
async function started(messages?: Message[]) {
  const fake = new FakeChatClient({ sessions: [fakeSession('s1')] });
  fake.messages.set('s1', messages ?? [
    fakeMessage('s1', 'u1', 'user', { content: 'Question', clientMessageId: 'c1' }),
    fakeMessage('s1', 'a1', 'assistant', { content: 'First answer', feedback: { rating: 'up', updatedAt: '2026-01-01T00:00:00.000Z' } }),
  ]);
  const chat = createChat(() => fake.asClient());
  await chat.connection.start();
  return { fake, ...chat };
}

const ids = (messages: Message[]) => messages.map((message) => message.id);

describe('versions: regenerate, edit, stepping between versions, ratings', () => {
  it('regenerate writes a new version of the last reply in its place, then shows the server’s versions', async () => {
    const { fake, conversation, versions } = await started();
    const regenerating = versions.regenerate('a1');
    await until(() => fake.streams.length === 1, 'the regenerate stream');
    expect(fake.streams[0]!.params).toMatchObject({ sessionId: 's1', regenerate: true, model: 'demo' });
    expect(fake.streams[0]!.params.content).toBeUndefined();
    const shown = conversation.history.messages.at(-1)!;
    expect(shown).toMatchObject({ id: 'a1', content: '', status: 'streaming' });
    expect(shown.feedback).toBeUndefined();
    const user = fake.messages.get('s1')![0]!;
    const stored = fakeMessage('s1', 'a2', 'assistant', { content: 'Second answer', versions: { index: 2, count: 2, ids: ['a1', 'a2'] } });
    fake.messages.set('s1', [user, stored]);
    answer(fake.streams[0]!, user, 'a2', 'Second answer');
    await regenerating;
    expect(conversation.history.messages).toEqual([user, stored]);
    expect(fake.callsOf('messages.list')).toHaveLength(2);
  });

  it('keeps the older pages the visitor loaded when it reloads the latest page after a new version', async () => {
    const messages = [
      fakeMessage('s1', 'u1', 'user', { content: 'First question' }),
      fakeMessage('s1', 'a1', 'assistant', { content: 'First answer' }),
      fakeMessage('s1', 'u2', 'user', { content: 'Second question' }),
      fakeMessage('s1', 'a2', 'assistant', { content: 'Second answer' }),
    ];
    // Pages of two: the latest page is the second exchange; the first one is loaded by scrolling up.
    const { fake, conversation, versions } = await started(messages);
    expect(ids(conversation.history.messages)).toEqual(['u2', 'a2']);
    await conversation.loadOlder();
    expect(ids(conversation.history.messages)).toEqual(['u1', 'a1', 'u2', 'a2']);

    const regenerating = versions.regenerate('a2');
    await until(() => fake.streams.length === 1, 'the regenerate stream');
    const renewed = fakeMessage('s1', 'a3', 'assistant', { content: 'Better answer', versions: { index: 2, count: 2, ids: ['a2', 'a3'] } });
    fake.messages.set('s1', [...messages.slice(0, 3), renewed]);
    answer(fake.streams[0]!, messages[2]!, 'a3', 'Better answer');
    await regenerating;
    expect(ids(conversation.history.messages)).toEqual(['u1', 'a1', 'u2', 'a3']);
    expect(conversation.history.hasMore).toBe(false);
  });

  it('regenerate of a reply that is not the last one, or while a reply is written, sends nothing', async () => {
    const { fake, conversation, versions } = await started();
    await versions.regenerate('u1');
    expect(fake.streams).toHaveLength(0);
    void conversation.send('Another');
    await until(() => fake.streams.length === 1, 'the send');
    await versions.regenerate(conversation.history.messages.at(-1)!.id);
    await versions.edit('u1', 'Changed');
    expect(fake.streams).toHaveLength(1);
  });

  it('edit replaces the turn from the edited message on with the new text and its reply, then the server’s versions', async () => {
    const { fake, conversation, versions } = await started();
    const editing = versions.edit('u1', '  Better question ');
    await until(() => fake.streams.length === 1, 'the edit stream');
    const params = fake.streams[0]!.params;
    expect(params).toMatchObject({ sessionId: 's1', editOf: 'u1', content: 'Better question' });
    expect(params.clientMessageId).toEqual(expect.any(String));
    expect(params.clientMessageId).not.toBe('c1');
    expect(conversation.history.messages.map((message) => `${message.role}:${message.content}:${message.status}`)).toEqual(['user:Better question:complete', 'assistant::streaming']);
    // The stream carries the new user message as written; its versions arrive with the page loaded afterwards.
    const written = fakeMessage('s1', 'u2', 'user', { content: 'Better question', clientMessageId: params.clientMessageId! });
    const user = { ...written, versions: { index: 2, count: 2, ids: ['u1', 'u2'] } };
    const reply = fakeMessage('s1', 'a2', 'assistant', { content: 'Better answer' });
    fake.messages.set('s1', [user, reply]);
    answer(fake.streams[0]!, written, 'a2', 'Better answer');
    await editing;
    expect(conversation.history.messages).toEqual([user, reply]);
    expect(fake.callsOf('messages.list')).toHaveLength(2);
  });

  it('edit with empty text or of a message not shown sends nothing', async () => {
    const { fake, conversation, versions } = await started();
    await versions.edit('u1', '   ');
    await versions.edit('missing', 'Text');
    expect(fake.streams).toHaveLength(0);
    expect(ids(conversation.history.messages)).toEqual(['u1', 'a1']);
  });

  it('showVersion shows the previous version with its branch, and the session as the server has it now', async () => {
    const second = fakeMessage('s1', 'u2', 'user', { content: 'Second', versions: { index: 2, count: 2, ids: ['u1', 'u2'] } });
    const { fake, conversation, sessions, versions } = await started([second, fakeMessage('s1', 'a2', 'assistant')]);
    fake.sessions = [fakeSession('s1', { title: 'As stored now' })];
    const first = fakeMessage('s1', 'u1', 'user', { content: 'First', versions: { index: 1, count: 2, ids: ['u1', 'u2'] } });
    fake.branches.set('u1', [first, fakeMessage('s1', 'a1', 'assistant')]);
    expect(ids(conversation.history.messages)).toEqual(['u2', 'a2']);
    await versions.showVersion('u2', 1);
    expect(fake.callsOf('messages.show')).toHaveLength(0);
    await versions.showVersion('u2', -1);
    expect(fake.callsOf('messages.show').map((call) => call.args[0])).toEqual(['u1']);
    expect(ids(conversation.history.messages)).toEqual(['u1', 'a1']);
    expect(fake.callsOf('sessions.retrieve').map((call) => call.args[0])).toEqual(['s1']);
    expect(sessions.sessions.find((session) => session.id === 's1')?.title).toBe('As stored now');
  });

  it('rate shows the rating at once, stores it, then fires ai-feedback; taking it back clears it', async () => {
    const { fake, host, conversation, versions } = await started();
    const held = fake.hold('messages.feedback');
    const rating = versions.rate('a1', 'down', 'Wrong');
    expect(conversation.history.messages[1]!.feedback).toMatchObject({ rating: 'down', reason: 'Wrong' });
    expect(host.eventNames()).not.toContain('ai-feedback');
    held.release();
    await rating;
    expect(fake.callsOf('messages.feedback').map((call) => call.args)).toEqual([['a1', { rating: 'down', reason: 'Wrong' }]]);
    expect(conversation.history.messages[1]).toBe(fake.messages.get('s1')![1]);
    const events = host.events.filter((event): event is AiFeedbackEvent => event.type === 'ai-feedback');
    expect(events.map((event) => event.detail)).toEqual([{ messageId: 'a1', rating: 'down', reason: 'Wrong' }]);

    await versions.rate('a1', null);
    expect(conversation.history.messages[1]!.feedback).toBeUndefined();
    expect(fake.messages.get('s1')![1]!.feedback).toBeUndefined();
  });

  it('a rating the server refuses is taken back and shown in the banner, without ai-feedback', async () => {
    const { fake, host, connection, conversation, versions } = await started();
    const before = conversation.history.messages[1];
    fake.failNext('messages.feedback', Object.assign(new Error('No'), { status: 500, type: 'internal' }));
    await versions.rate('a1', 'down');
    expect(conversation.history.messages[1]).toBe(before);
    expect(connection.failure?.error).toMatchObject({ message: 'No' });
    expect(host.eventNames()).not.toContain('ai-feedback');
  });
});
