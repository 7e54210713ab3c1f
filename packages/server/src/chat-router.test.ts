import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorShape, httpClient } from './testing/http-client.js';
import { startTestServer, type TestServer } from '@ai-chat/testkit';

let server: TestServer;
let http: ReturnType<typeof httpClient>;

beforeAll(async () => {
  server = await startTestServer({ app: { allowedOrigins: ['https://shop.example'], bodyLimit: 64 * 1024 } });
  http = httpClient(server.url);
});
afterAll(() => server.close());

describe('request handling', () => {
  it('gives every response a request id and echoes a safe incoming one in error bodies', async () => {
    const ok = await http.get('/healthz');
    expect(ok.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const error = await http.get('/api/users/me', { headers: { 'X-Request-Id': 'trace-1234567' } });
    expect(error.headers.get('x-request-id')).toBe('trace-1234567');
    expect(error.body.error.requestId).toBe('trace-1234567');
    const unsafe = await http.get('/healthz', { headers: { 'X-Request-Id': 'bad id <script>' } });
    expect(unsafe.headers.get('x-request-id')).not.toContain('<');
  });

  it('serves the limits and starters at /api/config without a token, cacheable', async () => {
    const response = await http.get('/api/config');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ limits: { contentMaxLength: 32_000, titleMaxLength: 100 }, starters: [] });
    expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/);
  });

  it('renders unknown routes in the error shape', async () => {
    const response = await http.get('/api/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error: { type: 'not_found', message: expect.any(String), details: [], requestId: expect.any(String) },
    });
  });

  it('refuses oversized (413), non-JSON (415) and malformed (400) bodies, storing nothing', async () => {
    const { token } = await http.createUser();
    const oversized = await http.post('/api/sessions', { token, body: { title: 'x'.repeat(70 * 1024) } });
    expect(oversized.status).toBe(413);
    expect(oversized.body).toMatchObject(errorShape('payload_too_large'));
    const form = await http.post('/api/sessions', { token, rawBody: 'title=hello', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    expect(form.body).toMatchObject(errorShape('unsupported_media_type'));
    const text = await http.post('/api/sessions', { token, rawBody: 'hello', headers: { 'Content-Type': 'text/plain' } });
    expect(text.status).toBe(415);
    const malformed = await http.post('/api/sessions', { token, rawBody: '{"title": "unterminated', headers: { 'Content-Type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject(errorShape('invalid_request'));
    const notAnObject = await http.post('/api/sessions', { token, rawBody: '[1,2]', headers: { 'Content-Type': 'application/json' } });
    expect(notAnObject.status).toBe(400);
    expect((await http.get('/api/sessions', { token })).body.sessions).toEqual([]);
  });

  it('sets security headers', async () => {
    const response = await http.get('/healthz');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('allows CORS only for listed origins, never with credentials', async () => {
    const preflight = await fetch(`${server.url}/api/sessions`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const stranger = await fetch(`${server.url}/api/models`, { headers: { Origin: 'https://evil.example' } });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    const error = await fetch(`${server.url}/api/users/me`, { headers: { Origin: 'https://shop.example' } });
    expect(error.status).toBe(401);
    expect(error.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(error.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
  });
});

describe('operations', () => {
  it('answers /healthz, /readyz and /metrics', async () => {
    expect((await http.get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await http.get('/readyz')).body).toEqual({ status: 'ready' });
    await http.get('/api/users/me');
    const metrics = await http.get('/metrics');
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(metrics.text).toMatch(/ai_chat_http_requests_total\{method="GET",route="\/api\/users\/me",status="401"\} \d+/);
    expect(metrics.text).toContain('ai_chat_open_streams');
  });

  it('serves an OpenAPI 3.1 document generated from the protocol schemas', async () => {
    const response = await http.get('/api/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    const createSession = response.body.paths['/api/sessions'].post;
    expect(createSession.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
    expect(Object.keys(createSession.requestBody.content['application/json'].schema.properties)).toEqual(['model', 'title']);
    expect(response.body.paths['/api/sessions'].get.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(['limit', 'cursor']);
    expect(response.body.paths['/api/chat'].post.responses['200'].content).toHaveProperty(['text/event-stream']);
  });

  it('answers /readyz with 503 once the database is gone', async () => {
    const other = await startTestServer();
    await other.database.close();
    const response = await httpClient(other.url).get('/readyz');
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject(errorShape('unavailable'));
    expect(response.headers.get('retry-after')).toBe('5');
    await other.close().catch(() => {});
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After past the per-token limit, counted in MongoDB', async () => {
    const limited = await startTestServer({ app: { rateLimits: { perTokenPerMinute: 5, perIpPerMinute: 1000, chatPerMinute: 5 } } });
    const client = httpClient(limited.url);
    const { token } = await client.createUser();
    const statuses: number[] = [];
    for (let index = 0; index < 7; index += 1) statuses.push((await client.get('/api/sessions', { token })).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const rejected = await client.get('/api/sessions', { token });
    expect(rejected.body).toMatchObject(errorShape('rate_limited'));
    expect(Number(rejected.headers.get('retry-after'))).toBeGreaterThan(0);
    // A second process on the same database sees the same counters.
    const twin = await startTestServer({ databaseUri: limited.databaseUri, app: { rateLimits: { perTokenPerMinute: 5, perIpPerMinute: 1000, chatPerMinute: 5 } } });
    expect((await httpClient(twin.url).get('/api/sessions', { token })).status).toBe(429);
    const stored = await limited.database.connection.db!.collection('rate_limits').countDocuments();
    expect(stored).toBeGreaterThan(0);
    await twin.close();
    await limited.close();
  });
});
