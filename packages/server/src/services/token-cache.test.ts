import { startTestServer, type TestServer } from '@ai-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient } from '../testing/http-client.js';

let first: TestServer;
let second: TestServer;

beforeAll(async () => {
  // Two servers on one database, as two processes behind a load balancer; tokens are kept in memory for a second.
  first = await startTestServer({ env: { TOKEN_CACHE_TTL_MS: '1000' } });
  second = await startTestServer({ databaseUri: first.databaseUri, env: { TOKEN_CACHE_TTL_MS: '1000' } });
});

afterAll(async () => {
  await second?.close();
  await first?.close();
});

describe('bearer tokens served from memory', () => {
  it('a sign-out works at once on the process that handled it, and on the others once their memory of it lapses', async () => {
    const { token } = await httpClient(first.url).createUser();
    // Both processes have resolved (and keep) the token.
    expect((await httpClient(first.url).get('/api/users/me', { token })).status).toBe(200);
    expect((await httpClient(second.url).get('/api/users/me', { token })).status).toBe(200);
    expect((await httpClient(first.url).post('/api/users/me/sign-out', { token })).status).toBe(204);
    expect((await httpClient(first.url).get('/api/users/me', { token })).status).toBe(401);
    // The other process looks the token up again within TOKEN_CACHE_TTL_MS and then refuses it.
    await expect.poll(async () => (await httpClient(second.url).get('/api/users/me', { token })).status).toBe(401);
  });

  it('an erased user stores nothing more through a process that still knows its token', async () => {
    const { token } = await httpClient(first.url).createUser();
    const session = await httpClient(second.url).createSession(token);
    expect((await httpClient(first.url).delete('/api/users/me', { token })).status).toBe(204);
    expect((await httpClient(first.url).get('/api/sessions', { token })).status).toBe(401);
    // The second process may still accept the token for a moment, but what it would store is refused or taken back.
    const created = await httpClient(second.url).post('/api/sessions', { token, body: {} });
    expect(created.status).toBe(401);
    const chat = await httpClient(second.url).post('/api/chat', { token, body: { sessionId: session.id, content: 'still there?' } });
    expect([401, 404]).toContain(chat.status);
    const { ChatSession, Message } = first.database.models;
    expect(await Message.countDocuments({ sessionId: session.id })).toBe(0);
    expect(await ChatSession.countDocuments({ _id: session.id })).toBe(0);
  });
});
