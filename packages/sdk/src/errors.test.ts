import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient, tokenStorageKey } from './chat-client.js';
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  ChatError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PayloadTooLargeError,
  ProviderError,
  RateLimitError,
  UnavailableError,
  UnsupportedMediaTypeError,
} from './errors.js';
import { createMemoryStorage } from './storage.js';
import { startRawServer, type RawHandler, type RawServer } from './testing/raw-server.js';

const SESSION_ID = '65a000000000000000000001';
let server: RawServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function failingClient(handler: RawHandler): Promise<ChatClient> {
  server = await startRawServer(handler);
  const storage = createMemoryStorage();
  storage.setItem(tokenStorageKey(server.url), 'visitor-token');
  return new ChatClient({ baseUrl: server.url, storage, maxRetries: 0 });
}

/** The error `sessions.retrieve()` rejects with when the server answers with `status`, `type` and `headers`. */
async function errorFor(status: number, type: string, headers: Record<string, string> = {}): Promise<unknown> {
  const client = await failingClient((_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req-header', ...headers });
    const details = status === 400 ? [{ path: 'title', message: 'must not be empty' }] : [];
    response.end(JSON.stringify({ error: { type, message: `${type} happened`, details, requestId: 'req-body' } }));
  });
  return client.sessions.retrieve(SESSION_ID).catch((error: unknown) => error);
}

describe('errors built from a response', () => {
  it.each([
    [400, 'invalid_request', BadRequestError],
    [401, 'unauthorized', AuthenticationError],
    [404, 'not_found', NotFoundError],
    [409, 'conflict', ConflictError],
    [413, 'payload_too_large', PayloadTooLargeError],
    [415, 'unsupported_media_type', UnsupportedMediaTypeError],
    [429, 'rate_limited', RateLimitError],
    [500, 'internal', InternalServerError],
    [502, 'provider_error', ProviderError],
    [503, 'unavailable', UnavailableError],
  ])('%i %s becomes %o with the body fields', async (status, type, ErrorClass) => {
    const error = await errorFor(status, type);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toBeInstanceOf(ChatError);
    expect(error).toMatchObject({ status, type, message: `${type} happened`, requestId: 'req-body' });
  });

  it('keeps the per-field details of a rejected request', async () => {
    const error = await errorFor(400, 'invalid_request');
    expect((error as BadRequestError).details).toEqual([{ path: 'title', message: 'must not be empty' }]);
  });

  it('makes 502 and 503 catchable as InternalServerError', async () => {
    expect(await errorFor(502, 'provider_error')).toBeInstanceOf(InternalServerError);
    expect(await errorFor(503, 'unavailable')).toBeInstanceOf(InternalServerError);
  });

  it('reads Retry-After as seconds on rate limits and unavailability', async () => {
    expect((await errorFor(429, 'rate_limited', { 'retry-after': '120' })) as RateLimitError).toMatchObject({ retryAfter: 120 });
    expect((await errorFor(503, 'unavailable', { 'retry-after': '90' })) as UnavailableError).toMatchObject({ retryAfter: 90 });
    expect((await errorFor(429, 'rate_limited')) as RateLimitError).toMatchObject({ retryAfter: null });
  });

  it('reads Retry-After given as an HTTP date', async () => {
    const date = new Date(Date.now() + 100_000).toUTCString();
    const error = (await errorFor(429, 'rate_limited', { 'retry-after': date })) as RateLimitError;
    expect(error.retryAfter).toBeGreaterThan(90);
    expect(error.retryAfter).toBeLessThanOrEqual(100);
  });

  it('falls back to the status and X-Request-Id when a proxy answers with HTML', async () => {
    const client = await failingClient((_request, response) => {
      response.writeHead(504, { 'content-type': 'text/html', 'x-request-id': 'req-proxy' });
      response.end('<html><body>Gateway Timeout</body></html>');
    });
    const error = await client.models.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 504, type: 'internal', requestId: 'req-proxy', message: 'Gateway Timeout' });
  });
});

describe('APIError.generate', () => {
  it('derives the class from the type when there is no status, as for a stream error event', () => {
    const error = APIError.generate(undefined, { error: { type: 'rate_limited', message: 'slow down' } }, undefined, undefined);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, message: 'slow down', requestId: null, details: [] });
  });

  it('uses the message it is given when the body has none', () => {
    const error = APIError.generate(418, 'not json', "I'm a teapot", new Headers());
    expect(error.constructor).toBe(APIError);
    expect(error).toMatchObject({ status: 418, message: "I'm a teapot", type: 'invalid_request' });
  });
});
