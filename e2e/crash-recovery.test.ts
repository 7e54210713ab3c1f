import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { testDatabaseUri } from '@ai-chat/testkit';
import { describe, expect, it } from 'vitest';
import { startChatServer } from './support/chat-server.js';

const json = { 'Content-Type': 'application/json', Accept: 'application/json' };

/** Waits until `read` gives something, looking again every 100 ms; fails with `message` after `timeoutMs`. */
async function until<T>(read: () => Promise<T | undefined>, message: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(message);
    await delay(100);
  }
}

/**
 * `ai-chat-server` killed with SIGKILL in the middle of a reply, then started again on the same database: the reply
 * it was writing ends as `error` / `interrupted` within the lock's lifetime and a sweep, with no new message sent.
 */
describe('a server process killed mid-reply', () => {
  it('leaves no reply streaming: after a restart it ends as interrupted, in the history and the export', async () => {
    // A lock of 1.5 s instead of 30 s, and the demo model at a slow pace so that the reply is still being written.
    // The history is polled below: the per-token limit must not answer those reads.
    const env = { MONGODB_URI: testDatabaseUri('crash'), REPLY_LOCK_TTL_MS: '1500', AI_CHAT_DEMO_DELAY_MS: '200', RATE_LIMIT_PER_MINUTE: '100000' };
    const first = await startChatServer(env);
    const { token } = await (await fetch(`${first.url}/api/users`, { method: 'POST' })).json();
    const auth = { ...json, Authorization: `Bearer ${token}` };
    const { session } = await (await fetch(`${first.url}/api/sessions`, { method: 'POST', headers: auth, body: '{}' })).json();
    const messagesOf = async (url: string) => {
      const response = await fetch(`${url}/api/sessions/${session.id}/messages`, { headers: auth });
      if (response.status !== 200) throw new Error(`GET messages answered ${response.status}: ${await response.text()}`);
      return (await response.json()).messages;
    };

    const reply = await fetch(`${first.url}/api/chat`, {
      method: 'POST',
      headers: { ...auth, Accept: 'text/event-stream' },
      body: JSON.stringify({ sessionId: session.id, content: 'tell me everything', clientMessageId: 'before-the-crash' }),
    });
    expect(reply.status).toBe(200);
    // Some of the reply is stored (its text is saved as it grows) when the process dies.
    await until(async () => ((await messagesOf(first.url))[1]?.content ? true : undefined), 'the reply never saved any text');
    const exited = once(first.child, 'exit');
    first.child.kill('SIGKILL');
    await exited;
    await reply.body?.cancel().catch(() => undefined);

    // The same database and lock; the demo model at full speed for the Retry below.
    const second = await startChatServer({ ...env, AI_CHAT_DEMO_DELAY_MS: '1' });
    try {
      const restartedAt = Date.now();
      const messages = await until(async () => {
        const stored = await messagesOf(second.url);
        return stored[1]?.status === 'streaming' ? undefined : stored;
      }, 'the reply of the killed process stayed `streaming`');
      console.log(`[crash] the killed process's reply ended as interrupted ${Date.now() - restartedAt} ms after the restart (lock 1500 ms)`);
      expect(messages).toHaveLength(2);
      expect(messages[0]).toMatchObject({ role: 'user', content: 'tell me everything', status: 'complete' });
      expect(messages[1]).toMatchObject({ role: 'assistant', status: 'error', error: { type: 'interrupted', message: expect.any(String) } });
      expect(messages[1].content.length).toBeGreaterThan(0);

      const exported = await (await fetch(`${second.url}/api/users/me/export`, { headers: auth })).json();
      expect(exported.sessions).toHaveLength(1);
      expect(exported.sessions[0].messages[1]).toMatchObject({ id: messages[1].id, status: 'error', error: { type: 'interrupted' } });
      const summary = (await (await fetch(`${second.url}/api/sessions/${session.id}`, { headers: auth })).json()).session;
      expect(summary.messageCount).toBe(2);

      // The visitor's Retry (the same clientMessageId) writes the reply anew in place.
      const retried = await fetch(`${second.url}/api/chat`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ sessionId: session.id, content: 'tell me everything', clientMessageId: 'before-the-crash' }),
      });
      expect(retried.status).toBe(200);
      expect((await retried.json()).assistantMessage).toMatchObject({ id: messages[1].id, status: 'complete' });
    } finally {
      await second.stop();
    }
  });
});
