import { describe, expect, it } from 'vitest';
import { FakeChatClient, fakeMessage, fakeSession } from '../testing/fake-chat-client.js';
import { createChat, until } from '../testing/fake-host.js';

describe('connection: one AbortController per server and user', () => {
  it('starts: visitor, models, sessions, the newest session and its messages, then ai-ready', async () => {
    const fake = new FakeChatClient({ sessions: [fakeSession('s1'), fakeSession('s2')] });
    fake.messages.set('s1', [fakeMessage('s1', 'm1', 'user'), fakeMessage('s1', 'm2', 'assistant')]);
    const { host, connection, sessions, conversation } = createChat(() => fake.asClient());
    await connection.start();
    expect(connection.status).toBe('ready');
    expect(sessions.models.map((model) => model.id)).toEqual(['demo', 'other']);
    expect(sessions.selectedModel).toBe('demo');
    expect(sessions.activeSessionId).toBe('s1');
    expect(conversation.history.messages.map((message) => message.id)).toEqual(['m1', 'm2']);
    expect(host.eventNames()).toEqual(['ai-session-change', 'ai-ready']);
    // Every call of the start carries the signal of this server+user.
    for (const call of fake.calls) expect(call.signal).toBe(connection.signal);
  });

  it('drops everything a previous server answers after a switch, and aborts its signal', async () => {
    const old = new FakeChatClient({ sessions: [fakeSession('old-1')] });
    const next = new FakeChatClient({ sessions: [fakeSession('new-1')], token: 'token-2' });
    let client = old;
    const { host, chat, connection, sessions } = createChat(() => client.asClient());
    const held = old.hold('sessions.list');
    const firstStart = connection.start();
    await until(() => old.callsOf('sessions.list').length === 1, 'the old list call');
    const oldSignal = old.calls[0]!.signal!;

    client = next;
    chat.reset();
    expect(oldSignal.aborted).toBe(true);
    await connection.start();
    expect(sessions.sessions.map((session) => session.id)).toEqual(['new-1']);

    held.release();
    await firstStart;
    expect(sessions.sessions.map((session) => session.id)).toEqual(['new-1']);
    expect(sessions.activeSessionId).toBe('new-1');
    expect(connection.status).toBe('ready');
    expect(connection.failure).toBeNull();
    expect(host.eventNames().filter((name) => name === 'ai-ready')).toHaveLength(1);
  });

  it('a failed start shows the banner with Try again, which starts over', async () => {
    const fake = new FakeChatClient();
    const client = fake.asClient();
    let fails = true;
    const ensure = client.users.ensure.bind(client.users);
    client.users.ensure = (options) => (fails ? Promise.reject(new Error('Could not connect')) : ensure(options));
    const { host, connection } = createChat(() => client);
    await connection.start();
    expect(connection.status).toBe('error');
    expect(host.eventNames()).toEqual(['ai-error']);
    expect(connection.failure?.retry).toBeTypeOf('function');
    fails = false;
    connection.failure!.retry!();
    await until(() => connection.status === 'ready', 'ready');
    expect(connection.failure).toBeNull();
  });
});
