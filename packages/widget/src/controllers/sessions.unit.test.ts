import { describe, expect, it } from 'vitest';
import { FakeChatClient, fakeMessage, fakeSession } from '../testing/fake-chat-client.js';
import { createChat, until } from '../testing/fake-host.js';

const fiveSessions = () => ['s1', 's2', 's3', 's4', 's5'].map((id) => fakeSession(id));

describe('sessions: list, paging, active session, rename and delete', () => {
  it('pages in more sessions once at a time, without duplicates', async () => {
    const fake = new FakeChatClient({ sessions: fiveSessions() });
    const { connection, sessions } = createChat(() => fake.asClient());
    await connection.start();
    expect(sessions.sessions.map((session) => session.id)).toEqual(['s1', 's2']);
    await Promise.all([sessions.loadMore(), sessions.loadMore()]);
    expect(fake.callsOf('sessions.list')).toHaveLength(2);
    await sessions.loadMore();
    expect(sessions.sessions.map((session) => session.id)).toEqual(['s1', 's2', 's3', 's4', 's5']);
    expect(sessions.cursor).toBeNull();
    await sessions.loadMore();
    expect(fake.callsOf('sessions.list')).toHaveLength(3);
  });

  it('a page of the previous server never lands after a switch', async () => {
    const old = new FakeChatClient({ sessions: fiveSessions() });
    const next = new FakeChatClient({ sessions: [fakeSession('n1')] });
    let client = old;
    const { chat, connection, sessions } = createChat(() => client.asClient());
    await connection.start();
    const held = old.hold('sessions.list');
    const loading = sessions.loadMore();
    await until(() => old.callsOf('sessions.list').length === 2, 'the second page call');
    client = next;
    chat.reset();
    await connection.start();
    held.release();
    await loading;
    expect(sessions.sessions.map((session) => session.id)).toEqual(['n1']);
    expect(sessions.cursor).toBeNull();
    expect(connection.failure).toBeNull();
  });

  it('restores the remembered session even when it is older than the first page, and forgets a deleted one', async () => {
    const store = new Map<string, string>();
    (globalThis as { localStorage?: unknown }).localStorage = {
      getItem: (key: string) => store.get(key) ?? null,
      setItem: (key: string, value: string) => void store.set(key, value),
      removeItem: (key: string) => void store.delete(key),
    };
    try {
      const fake = new FakeChatClient({ sessions: fiveSessions() });
      const first = createChat(() => fake.asClient());
      await first.connection.start();
      await first.conversation.select('s5');
      const again = createChat(() => fake.asClient());
      await again.connection.start();
      expect(again.sessions.activeSessionId).toBe('s5');
      expect(fake.callsOf('sessions.retrieve').map((call) => call.args[0])).toEqual(['s5']);

      fake.sessions = fake.sessions.filter((session) => session.id !== 's5');
      const third = createChat(() => fake.asClient());
      await third.connection.start();
      expect(third.sessions.activeSessionId).toBe('s1');
      expect(third.connection.failure).toBeNull();
    } finally {
      delete (globalThis as { localStorage?: unknown }).localStorage;
    }
  });

  it('renames with a trimmed title of at most 100 characters, and ignores an empty one', async () => {
    const fake = new FakeChatClient({ sessions: fiveSessions() });
    const { connection, sessions } = createChat(() => fake.asClient());
    await connection.start();
    await sessions.rename('s2', `  ${'x'.repeat(120)}  `);
    await sessions.rename('s2', '   ');
    expect(fake.callsOf('sessions.update').map((call) => (call.args[1] as { title: string }).title)).toEqual(['x'.repeat(100)]);
    expect(sessions.sessions.map((session) => session.id)).toEqual(['s1', 's2']);
    expect(sessions.sessions[1]!.title).toBe('x'.repeat(100));
  });

  it('deleting the active session shows the next one; a 404 counts as deleted', async () => {
    const fake = new FakeChatClient({ sessions: fiveSessions() });
    fake.messages.set('s2', [fakeMessage('s2', 'm1', 'user')]);
    const { host, connection, sessions, conversation } = createChat(() => fake.asClient());
    await connection.start();
    await conversation.delete('s1');
    expect(sessions.activeSessionId).toBe('s2');
    expect(conversation.history.messages.map((message) => message.id)).toEqual(['m1']);
    fake.sessions = fake.sessions.filter((session) => session.id !== 's2');
    await conversation.delete('s2');
    expect(sessions.activeSessionId).toBeNull();
    expect(connection.failure).toBeNull();
    expect(host.eventNames().filter((name) => name === 'ai-error')).toEqual([]);
  });
});
