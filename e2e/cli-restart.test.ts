import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startChatServer } from './support/chat-server.js';

const json = { 'Content-Type': 'application/json', Accept: 'application/json' };

/**
 * `npm start` with no MONGODB_URI: Ctrl+C (which reaches the server twice under npm, from the terminal and from npm)
 * shuts down cleanly, and the next start finds the whole conversation in DATA_DIR.
 */
describe('the CLI without MONGODB_URI', () => {
  it('keeps history across Ctrl+C and a restart', async () => {
    const dataDirectory = await mkdtemp(join(tmpdir(), 'ai-chat-data-'));
    const env = { MONGODB_URI: undefined, DATA_DIR: dataDirectory, LOG_LEVEL: 'info' };
    const first = await startChatServer(env);
    expect(first.output()).toContain(`data is kept in ${join(dataDirectory, 'mongo-memory')}`);
    const { token } = await (await fetch(`${first.url}/api/users`, { method: 'POST' })).json();
    const auth = { ...json, Authorization: `Bearer ${token}` };
    const { session } = await (await fetch(`${first.url}/api/sessions`, { method: 'POST', headers: auth, body: '{}' })).json();
    const reply = await fetch(`${first.url}/api/chat`, { method: 'POST', headers: auth, body: JSON.stringify({ sessionId: session.id, content: 'remember me' }) });
    const { assistantMessage } = await reply.json();
    expect(assistantMessage.status).toBe('complete');

    const exited = once(first.child, 'exit');
    first.child.kill('SIGINT');
    first.child.kill('SIGINT');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(first.output()).toContain('finishing open replies and shutting down');
    expect(first.output()).not.toContain('exiting now');

    const second = await startChatServer(env);
    try {
      const listed = await (await fetch(`${second.url}/api/sessions`, { headers: auth })).json();
      expect(listed.sessions).toEqual([expect.objectContaining({ id: session.id, messageCount: 2, lastMessage: expect.objectContaining({ role: 'assistant' }) })]);
      const history = await (await fetch(`${second.url}/api/sessions/${session.id}/messages`, { headers: auth })).json();
      expect(history.messages.map((message: { content: string }) => message.content)).toEqual(['remember me', assistantMessage.content]);
    } finally {
      await second.stop();
    }
  });
});
