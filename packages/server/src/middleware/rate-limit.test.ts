import { errorShape, httpClient } from '../testing/http-client.js';
import { startTestServer, type TestServer } from '@ai-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const LIMITS = { perTokenPerMinute: 12, perIpPerMinute: 1000, chatPerMinute: 3 };

let first: TestServer;
let second: TestServer;

beforeAll(async () => {
  // Two servers (each with its own connection, token cache and limiter) on one database, as two processes would be.
  first = await startTestServer({ app: { rateLimits: LIMITS } });
  second = await startTestServer({ databaseUri: first.databaseUri, app: { rateLimits: LIMITS } });
});

afterAll(async () => {
  await second?.close();
  await first?.close();
});

describe('rate limits across server processes', () => {
  it('lets exactly the per-token limit through when requests arrive at once on two servers, the rest 429 with Retry-After', async () => {
    const { token } = await httpClient(first.url).createUser();
    const servers = [first, second];
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) => httpClient(servers[index % 2]!.url).get('/api/sessions', { token })),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(LIMITS.perTokenPerMinute);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20 - LIMITS.perTokenPerMinute);
    for (const response of responses.filter((response) => response.status === 429)) {
      expect(response.body).toMatchObject(errorShape('rate_limited'));
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // Still refused on both afterwards.
    expect((await httpClient(first.url).get('/api/sessions', { token })).status).toBe(429);
    expect((await httpClient(second.url).get('/api/sessions', { token })).status).toBe(429);
  });

  it('counts chat messages across both servers; a message refused for chat still counted as a request, as before', async () => {
    const { token } = await httpClient(first.url).createUser();
    const sessions = await Promise.all(Array.from({ length: 5 }, () => httpClient(first.url).createSession(token)));
    // The token has counted 5 requests (the sessions); the chats make it 10 of its 12.
    const chats = await Promise.all(
      sessions.map((session, index) =>
        httpClient([first, second][index % 2]!.url).post('/api/chat', { token, body: { sessionId: session.id, content: `question ${index}` } }),
      ),
    );
    const statuses = chats.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(LIMITS.chatPerMinute);
    expect(statuses.filter((status) => status === 429)).toHaveLength(5 - LIMITS.chatPerMinute);
    for (const response of chats.filter((response) => response.status === 429)) {
      expect(response.body).toMatchObject(errorShape('rate_limited'));
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // The token counted all 5 chats (as when the counters were asked one after another): two requests left.
    expect((await httpClient(second.url).get('/api/sessions', { token })).status).toBe(200);
    expect((await httpClient(first.url).get('/api/sessions', { token })).status).toBe(200);
    expect((await httpClient(second.url).get('/api/sessions', { token })).status).toBe(429);
  });

  it('gives the later counters their point back when an earlier one refuses: a visitor refused by its IP keeps its token budget', async () => {
    const strict = await startTestServer({ app: { rateLimits: { perTokenPerMinute: 3, perIpPerMinute: 4, chatPerMinute: 3 } } });
    try {
      const client = httpClient(strict.url);
      const { token } = await client.createUser(); // IP 1
      const statuses: number[] = [];
      for (let index = 0; index < 5; index += 1) statuses.push((await client.get('/api/sessions', { token })).status);
      // IP: 2, 3, 4 pass, then refused; the token counted 3 (its limit) and got the refused ones back.
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      await expect.poll(async () => (await countersOf(strict, token)).perToken).toBe(3);
    } finally {
      await strict.close();
    }
  });
});

/** The stored per-token counter of a token. */
async function countersOf(server: TestServer, token: string): Promise<{ perToken: number | undefined }> {
  const { createHash } = await import('node:crypto');
  const key = `token:${createHash('sha256').update(token).digest('hex')}`;
  const stored = await server.database.connection.db!.collection('rate_limits').findOne({ key });
  return { perToken: stored?.points as number | undefined };
}
