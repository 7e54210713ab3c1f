import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient, tokenStorageKey } from '../chat-client.js';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  InternalServerError,
  ProviderError,
  RateLimitError,
  UnavailableError,
} from '../errors.js';
import { createMemoryStorage } from '../storage.js';
import { countRequests, fakeApi } from '../testing/fake-api.js';
import { sendError, sendJson, startRawServer, type RawHandler, type RawServer } from '../testing/raw-server.js';

const SESSION_ID = '65a000000000000000000001';
const SESSION = {
  id: SESSION_ID,
  title: 'New chat',
  model: 'demo',
  messageCount: 0,
  lastMessage: null,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
};

let server: RawServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(routes: Record<string, RawHandler>, options: { timeout?: number; maxRetries?: number } = {}) {
  server = await startRawServer(fakeApi(routes));
  const storage = createMemoryStorage();
  storage.setItem(tokenStorageKey(server.url), 'visitor-token');
  return new ChatClient({ baseUrl: server.url, storage, ...options });
}

/** Fails the first `failures` requests with `fail`, then answers with `succeed`. */
function failThen(failures: number, fail: RawHandler, succeed: RawHandler): RawHandler {
  let seen = 0;
  return (request, response, index) => (seen++ < failures ? fail(request, response, index) : succeed(request, response, index));
}

const unavailable: RawHandler = (_request, response) => sendError(response, 503, 'unavailable', 'Try again.', { 'retry-after': '0' });
const sessionOk: RawHandler = (_request, response) => sendJson(response, 200, { session: SESSION });

describe('retries', () => {
  it('retries a read after a 503 and returns the answer', async () => {
    const client = await clientFor({ [`GET /api/sessions/${SESSION_ID}`]: failThen(1, unavailable, sessionOk) });
    await expect(client.sessions.retrieve(SESSION_ID)).resolves.toEqual(SESSION);
    expect(countRequests(server!.requests, `GET /api/sessions/${SESSION_ID}`)).toBe(2);
  });

  it('gives up after maxRetries and throws the last error', async () => {
    const client = await clientFor({ 'GET /api/models': unavailable }, { maxRetries: 3 });
    await expect(client.models.list()).rejects.toBeInstanceOf(UnavailableError);
    expect(countRequests(server!.requests, 'GET /api/models')).toBe(4);
  });

  it('backs off exponentially when the server gives no Retry-After', async () => {
    const internal: RawHandler = (_request, response) => sendError(response, 500, 'internal', 'Oops.');
    const client = await clientFor({ 'GET /api/models': failThen(2, internal, (_r, response) => sendJson(response, 200, { models: [] })) });
    const started = Date.now();
    await client.models.list();
    // 500 ms then 1000 ms, each shortened by up to a quarter of jitter.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1100);
  });

  it('waits the Retry-After of a 429 before retrying', async () => {
    const limited: RawHandler = (_request, response) => sendError(response, 429, 'rate_limited', 'Slow down.', { 'retry-after': '1' });
    const client = await clientFor({ 'GET /api/models': failThen(1, limited, (_r, response) => sendJson(response, 200, { models: [] })) });
    const started = Date.now();
    await expect(client.models.list()).resolves.toEqual({ models: [] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('throws at once when Retry-After is longer than a minute', async () => {
    const limited: RawHandler = (_request, response) => sendError(response, 429, 'rate_limited', 'Later.', { 'retry-after': '3600' });
    const client = await clientFor({ 'GET /api/models': limited });
    await expect(client.models.list()).rejects.toMatchObject({ retryAfter: 3600 });
    expect(countRequests(server!.requests, 'GET /api/models')).toBe(1);
  });

  it('never retries creating a session, nor a PATCH', async () => {
    const client = await clientFor({ 'POST /api/sessions': unavailable, [`PATCH /api/sessions/${SESSION_ID}`]: unavailable });
    await expect(client.sessions.create({ title: 'x' })).rejects.toBeInstanceOf(UnavailableError);
    await expect(client.sessions.update(SESSION_ID, { title: 'y' })).rejects.toBeInstanceOf(UnavailableError);
    expect(countRequests(server!.requests, 'POST /api/sessions')).toBe(1);
    expect(countRequests(server!.requests, `PATCH /api/sessions/${SESSION_ID}`)).toBe(1);
  });

  it('retries deletes and stop requests', async () => {
    const noContent: RawHandler = (_request, response) => void response.writeHead(204).end();
    // Koa answers a bodiless 202 with the text "Accepted", which must not be read as JSON.
    const accepted: RawHandler = (_request, response) => void response.writeHead(202, { 'content-type': 'text/plain' }).end('Accepted');
    const client = await clientFor({
      [`DELETE /api/sessions/${SESSION_ID}`]: failThen(1, unavailable, noContent),
      [`POST /api/sessions/${SESSION_ID}/stop`]: failThen(1, unavailable, accepted),
    });
    await expect(client.sessions.delete(SESSION_ID)).resolves.toBeUndefined();
    await expect(client.sessions.stop(SESSION_ID)).resolves.toBeUndefined();
    expect(server!.requests.map((request) => request.method)).toEqual(['DELETE', 'DELETE', 'POST', 'POST']);
  });

  it("does not retry the provider's 502, but does retry a proxy's", async () => {
    const provider: RawHandler = (_request, response) => sendError(response, 502, 'provider_error', 'Upstream failed.');
    const proxy: RawHandler = (_request, response) => void response.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad Gateway</h1>');
    const client = await clientFor(
      { 'GET /api/models': provider, 'GET /api/sessions': failThen(1, proxy, (_r, response) => sendJson(response, 200, { sessions: [], nextCursor: null })) },
      { maxRetries: 1 },
    );
    await expect(client.models.list()).rejects.toBeInstanceOf(ProviderError);
    expect(countRequests(server!.requests, 'GET /api/models')).toBe(1);
    await expect(client.sessions.list()).resolves.toEqual({ sessions: [], nextCursor: null });
    expect(countRequests(server!.requests, 'GET /api/sessions')).toBe(2);
  });

  it('retries when the connection drops before an answer', async () => {
    const drop: RawHandler = (_request, response) => void response.socket?.destroy();
    const client = await clientFor({ [`GET /api/sessions/${SESSION_ID}`]: failThen(1, drop, sessionOk) });
    await expect(client.sessions.retrieve(SESSION_ID)).resolves.toEqual(SESSION);
    expect(countRequests(server!.requests, `GET /api/sessions/${SESSION_ID}`)).toBe(2);
  });

  it('stops waiting for a backoff when the caller aborts', async () => {
    const limited: RawHandler = (_request, response) => sendError(response, 429, 'rate_limited', 'Wait.', { 'retry-after': '30' });
    const client = await clientFor({ 'GET /api/models': limited });
    const started = Date.now();
    await expect(client.models.list({ signal: AbortSignal.timeout(100) })).rejects.toBeInstanceOf(APIUserAbortError);
    // Not after the 30 s the server asked to wait.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('reports a 429 as RateLimitError when retries are off', async () => {
    const limited: RawHandler = (_request, response) => sendError(response, 429, 'rate_limited', 'Wait.', { 'retry-after': '0' });
    const client = await clientFor({ 'GET /api/models': limited }, { maxRetries: 0 });
    await expect(client.models.list()).rejects.toBeInstanceOf(RateLimitError);
    expect(countRequests(server!.requests, 'GET /api/models')).toBe(1);
  });
});

describe('timeouts and connection failures', () => {
  it('times out each attempt, retries, then throws APIConnectionTimeoutError', async () => {
    const hang: RawHandler = () => undefined;
    const client = await clientFor({ 'GET /api/models': hang }, { timeout: 200, maxRetries: 1 });
    const started = Date.now();
    const error = await client.models.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(countRequests(server!.requests, 'GET /api/models')).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });

  it('honours a per-request timeout over the client default', async () => {
    const client = await clientFor({ 'GET /api/models': () => undefined }, { maxRetries: 0 });
    await expect(client.models.list({ timeout: 100 })).rejects.toBeInstanceOf(APIConnectionTimeoutError);
  });

  it('aborts a waiting request with APIUserAbortError, not a timeout', async () => {
    const client = await clientFor({ 'GET /api/models': () => undefined }, { timeout: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(client.models.list({ signal: controller.signal })).rejects.toBeInstanceOf(APIUserAbortError);
    expect(countRequests(server!.requests, 'GET /api/models')).toBe(1);
  });

  it('throws APIConnectionError when nothing listens', async () => {
    const closed = await startRawServer(() => undefined);
    await closed.close();
    const client = new ChatClient({ baseUrl: closed.url, storage: createMemoryStorage(), maxRetries: 1 });
    const error = await client.models.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APIConnectionTimeoutError);
  });

  it('does not mistake a 5xx answer for a connection failure', async () => {
    const client = await clientFor({ 'GET /api/models': (_r, response) => sendError(response, 500, 'internal', 'Oops.') }, { maxRetries: 0 });
    const error = await client.models.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).not.toBeInstanceOf(APIConnectionError);
  });
});
