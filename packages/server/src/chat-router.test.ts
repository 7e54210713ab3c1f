import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { Agent } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRawRequest } from './fuzz/testing/send-raw-request.js';
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
    for (const response of [await http.get('/healthz'), await http.get('/api/users/me'), await http.get('/api/nothing-here')]) {
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
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
  it('answers /healthz, /readyz and /metrics (metrics public, as the test servers are)', async () => {
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
    expect(response.body.paths['/api/sessions'].get.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(['limit', 'cursor', 'q']);
    expect(response.body.paths['/api/chat'].post.responses['200'].content).toHaveProperty(['text/event-stream']);
    expect(Object.keys(response.body.paths['/api/chat'].post.requestBody.content['application/json'].schema.properties)).toEqual(
      expect.arrayContaining(['sessionId', 'content', 'regenerate', 'editOf']),
    );
    expect(response.body.paths['/api/messages/{id}/show'].post.responses['200'].content['application/json'].schema.properties).toHaveProperty('messages');
    const feedback = response.body.paths['/api/messages/{id}/feedback'].put;
    expect(feedback.requestBody.content['application/json'].schema.properties.rating).toBeDefined();
    expect(feedback.requestBody.content['application/json'].schema.properties.reason.maxLength).toBe(500);
    expect(response.body.paths['/api/users/me/sign-out'].post.responses).toHaveProperty(['204']);
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

describe('one canonical spelling of every path, authentication on every route that needs it', () => {
  const agent = new Agent({ keepAlive: true });
  afterAll(() => agent.destroy());
  // fetch() resolves dot segments and encodes what it sends; these requests go out exactly as written.
  const send = async (method: string, target: string, token?: string, body?: unknown) => {
    const headers: Record<string, string> = { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await sendRawRequest(server.url, { route: target, method, target, headers, body: body === undefined ? undefined : Buffer.from(JSON.stringify(body)) }, agent, 30_000);
    return { status: response!.status, body: JSON.parse(response!.text || 'null') as unknown };
  };

  it('answers every other spelling of a protected route 401 or 404 in the error shape, with or without a token', async () => {
    const { token } = await http.createUser();
    const session = await http.createSession(token, { title: 'Mine' });
    const chat = { sessionId: session.id, content: 'hello' };
    const spellings: Array<[string, string, unknown?]> = [
      ['GET', '/API/SESSIONS'],
      ['GET', '/Api/Sessions'],
      ['GET', `/Api/Sessions/${session.id}`],
      ['GET', `/API/SESSIONS/${session.id}/MESSAGES`],
      ['POST', '/API/CHAT', chat],
      ['POST', '/api/Chat', chat],
      ['GET', '/api/sessions/'],
      ['GET', '/api//sessions'],
      ['GET', '//api/sessions'],
      ['GET', '/api/./sessions'],
      ['GET', '/api/x/../sessions'],
      ['GET', '/api/%73essions'],
      ['GET', '/api%2Fsessions'],
      ['GET', `/api/sessions/${session.id}/`],
      ['GET', `/api/sessions/${session.id}/%2e%2e/`],
      ['POST', '/api/chat/', chat],
      ['GET', '/API/USERS/ME'],
      ['GET', '/API/USERS/ME/EXPORT'],
      ['GET', '/API/MODELS'],
      ['DELETE', '/API/USERS/ME'],
      ['DELETE', `/API/SESSIONS/${session.id}`],
      ['PATCH', `/Api/Sessions/${session.id}`, { title: 'Stolen' }],
      ['POST', `/API/SESSIONS/${session.id}/STOP`],
    ];
    for (const [method, path, body] of spellings) {
      for (const withToken of [undefined, token]) {
        const response = await send(method, path, withToken, body);
        const label = `${method} ${path} ${withToken ? 'with' : 'without'} a token`;
        expect([401, 404], label).toContain(response.status);
        expect(response.body, label).toMatchObject(errorShape(response.status === 401 ? 'unauthorized' : 'not_found'));
      }
    }
    // Nothing was changed, sent or deleted by any of them.
    expect((await http.get(`/api/sessions/${session.id}`, { token })).body.session).toMatchObject({ title: 'Mine', messageCount: 0 });
    expect((await http.get('/api/users/me', { token })).status).toBe(200);
  });

  it('answers the canonical spelling of every protected route 401 without a token', async () => {
    const id = '0123456789abcdef01234567';
    const routes: Array<[string, string]> = [
      ['GET', '/api/users/me'], ['DELETE', '/api/users/me'], ['GET', '/api/users/me/export'], ['POST', '/api/users/me/sign-out'],
      ['GET', '/api/models'], ['POST', '/api/sessions'], ['GET', '/api/sessions'], ['GET', `/api/sessions/${id}`],
      ['PATCH', `/api/sessions/${id}`], ['DELETE', `/api/sessions/${id}`], ['GET', `/api/sessions/${id}/messages`],
      ['POST', `/api/sessions/${id}/stop`], ['POST', '/api/chat'],
    ];
    for (const [method, path] of routes) {
      const response = await send(method, path);
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.body, `${method} ${path}`).toMatchObject(errorShape('unauthorized'));
    }
  });

  it("answers a request Node's HTTP parser refuses in the error shape too", async () => {
    const url = new URL(server.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.end('FOO /api/sessions HTTP/1.1\r\nHost: x\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('X-Content-Type-Options: nosniff');
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject(errorShape('invalid_request'));
  });

  it('answers paths outside the API in the error shape too', async () => {
    for (const path of ['/nothing-here', '/API', '/widget/nope.js', '//healthz', '/healthz/']) {
      const response = await send('GET', path);
      expect(response.status, path).toBe(404);
      expect(response.body, path).toMatchObject(errorShape('not_found'));
    }
  });
});

describe('request bodies in every content coding', () => {
  const post = (body: Buffer, encoding: string) =>
    http.post('/api/sessions', { token: visitor, rawBody: body, headers: { 'Content-Type': 'application/json', 'Content-Encoding': encoding } });
  let visitor: string;
  beforeAll(async () => {
    visitor = (await http.createUser()).token;
  });

  it('accepts gzip, deflate and br bodies', async () => {
    const json = Buffer.from(JSON.stringify({ title: 'Compressed' }));
    for (const [encoding, body] of [['gzip', gzipSync(json)], ['deflate', deflateSync(json)], ['br', brotliCompressSync(json)], ['GZIP', gzipSync(json)]] as const) {
      const response = await post(body, encoding);
      expect(response.status, encoding).toBe(201);
      expect(response.body.session.title).toBe('Compressed');
    }
  });

  it('answers 400 for a body that does not decompress, 415 for a coding it does not accept, storing nothing', async () => {
    const before = (await http.get('/api/sessions', { token: visitor })).body.sessions.length;
    const json = Buffer.from(JSON.stringify({ title: 'Broken' }));
    const corrupt = [
      ['gzip', Buffer.from('definitely not gzip')],
      ['gzip', gzipSync(json).subarray(0, 12)],
      ['deflate', Buffer.from('not deflate either')],
      ['br', Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, 0x01])],
      ['deflate', gzipSync(json).map((byte, index) => (index > 10 ? byte ^ 0x5a : byte))],
    ] as const;
    for (const [encoding, body] of corrupt) {
      const response = await post(Buffer.from(body), encoding);
      expect(response.status, encoding).toBe(400);
      expect(response.body, encoding).toMatchObject(errorShape('invalid_request'));
    }
    for (const encoding of ['compress', 'x-unknown', 'gzip, br', 'zstd']) {
      const response = await post(json, encoding);
      expect(response.status, encoding).toBe(415);
      expect(response.body, encoding).toMatchObject(errorShape('unsupported_media_type'));
    }
    expect((await http.get('/api/sessions', { token: visitor })).body.sessions).toHaveLength(before);
  });

  it('counts the decompressed size against the body limit: a small gzip bomb is 413', async () => {
    // 10 MB of spaces around a valid body, about 10 KB once compressed; this server's limit is 64 KB.
    const bomb = gzipSync(Buffer.concat([Buffer.from('{"title":"Bomb"'), Buffer.alloc(10 * 1024 * 1024, 0x20), Buffer.from('}')]));
    expect(bomb.length).toBeLessThan(64 * 1024);
    for (const [encoding, body] of [['gzip', bomb], ['br', brotliCompressSync(Buffer.alloc(10 * 1024 * 1024, 0x20))]] as const) {
      const response = await post(body, encoding);
      expect(response.status, encoding).toBe(413);
      expect(response.body, encoding).toMatchObject(errorShape('payload_too_large'));
    }
  });
});

describe('/metrics is not public by default', () => {
  const servers: TestServer[] = [];
  afterAll(() => Promise.all(servers.map((started) => started.close())));
  const start = async (env: Record<string, string | undefined>) => {
    const started = await startTestServer({ env: { METRICS_PUBLIC: undefined, ...env } });
    servers.push(started);
    return httpClient(started.url);
  };

  it('is not served without METRICS_TOKEN, while /healthz and /readyz stay open', async () => {
    const client = await start({});
    const metrics = await client.get('/metrics');
    expect(metrics.status).toBe(404);
    expect(metrics.body).toMatchObject(errorShape('not_found'));
    expect(metrics.text).not.toContain('ai_chat_');
    expect((await client.get('/metrics', { headers: { Authorization: 'Bearer anything-at-all-here' } })).status).toBe(404);
    expect((await client.get('/healthz')).status).toBe(200);
    expect((await client.get('/readyz')).status).toBe(200);
  });

  it('requires Authorization: Bearer <METRICS_TOKEN> when it is set', async () => {
    const client = await start({ METRICS_TOKEN: 'metrics-token-for-the-test-0123' });
    const attempts: Array<Record<string, string>> = [
      {},
      { Authorization: 'Bearer metrics-token-for-the-test-0124' },
      { Authorization: 'Bearer metrics-token' },
      { Authorization: 'Basic bWV0cmljcw==' },
    ];
    for (const headers of attempts) {
      const response = await client.get('/metrics', { headers });
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject(errorShape('unauthorized'));
      expect(response.text).not.toContain('ai_chat_');
    }
    const allowed = await client.get('/metrics', { headers: { Authorization: 'Bearer metrics-token-for-the-test-0123' } });
    expect(allowed.status).toBe(200);
    expect(allowed.text).toContain('ai_chat_http_requests_total');
  });

  it('is served to anyone only when the operator opts in with METRICS_PUBLIC=true', async () => {
    const client = await start({ METRICS_PUBLIC: 'true' });
    const metrics = await client.get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('ai_chat_http_requests_total');
  });
});
