import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@ai-chat/testkit';
import { httpClient } from '../testing/http-client.js';
import { findProblem } from './testing/check-fuzz-response.js';
import { createFuzzRequest, type FuzzPools, type FuzzRequest } from './testing/fuzz-requests.js';
import { SeededRandom } from './testing/seeded-random.js';
import { sendRawRequest, type RawResponse } from './testing/send-raw-request.js';

// `npm test` runs a short fuzz; `npm run fuzz` sets FUZZ_REQUESTS=10000. FUZZ_SEED replays a run's draws (the tokens
// and ids it learns along the way still depend on the answers).
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const CONCURRENCY = 8;
const METRICS_TOKEN = 'fuzz-metrics-token-0123456789';
const BODY_LIMIT = 128 * 1024;
// Only a request that never ends trips this: the run would otherwise hang without saying which request it was.
const REQUEST_LIMIT_MS = 60_000;

let server: TestServer;
let http: ReturnType<typeof httpClient>;

beforeAll(async () => {
  const folder = await mkdtemp(join(tmpdir(), 'ai-chat-fuzz-'));
  await writeFile(join(folder, 'ai-chat.js'), 'customElements.define("ai-chat", class extends HTMLElement {});');
  await writeFile(join(folder, 'index.html'), '<!doctype html><script type="module" src="/widget/ai-chat.js"></script><style>body{margin:0}</style><ai-chat></ai-chat>');
  await mkdir(join(folder, 'chunks'));
  await writeFile(join(folder, 'chunks', 'highlight-3f2a9c1d.js'), 'export const languages = [];');
  server = await startTestServer({
    env: { METRICS_TOKEN },
    app: {
      serveWidget: { bundle: join(folder, 'ai-chat.js'), demoPage: join(folder, 'index.html') },
      allowedOrigins: ['https://shop.example'],
      // Room for the longest message (32,000 characters), so that oversized bodies and bombs stay cheap to send.
      bodyLimit: BODY_LIMIT,
      // Rate limits count requests, whatever they hold (they have tests of their own); on the in-process engine their
      // two writes per request would triple the time of a run.
      rateLimits: false,
    },
  });
  http = httpClient(server.url);
});
afterAll(() => server.close());

/** Signs an identity token the way a host's backend would, with any payload (the fuzz forges odd ones). */
function signIdentity(payload: Record<string, unknown>, secret = server.identitySecret, expiresIn: string | number = '10m') {
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(expiresIn).sign(new TextEncoder().encode(secret));
}

async function identityTokens(): Promise<string[]> {
  const unsigned = (payload: object) => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;
  return [
    await signIdentity({ sub: 'fuzz-1' }),
    await signIdentity({ sub: 'fuzz-2' }),
    await signIdentity({ sub: 'fuzz-3' }),
    await signIdentity({ sub: { $ne: null } }),
    await signIdentity({ sub: { $gt: '' } }),
    await signIdentity({ sub: ['fuzz-1'] }),
    await signIdentity({ sub: 12345 }),
    await signIdentity({ sub: '' }),
    await signIdentity({ sub: 'x'.repeat(257) }),
    await signIdentity({ sub: null }),
    await signIdentity({ sub: true }),
    await signIdentity({}),
    await signIdentity({ sub: 'fuzz-1' }, 'another-secret-that-is-long-enough-0123456789'),
    await signIdentity({ sub: 'fuzz-1' }, server.identitySecret, Math.floor(Date.now() / 1000) - 3600),
    unsigned({ sub: 'fuzz-victim', exp: 9_999_999_999 }),
    'not.a.jwt',
    'x'.repeat(4097),
  ];
}

/** A user whose data the fuzz must not change: its token is never sent, its ids are. */
async function createProtectedUser(token: string) {
  const first = await http.createSession(token, { title: 'Protected' });
  await http.createSession(token, { title: 'Also protected' });
  const chat = await http.post('/api/chat', { token, body: { sessionId: first.id, content: 'keep this safe' } });
  expect(chat.status).toBe(200);
  const exported = await exportWithoutTimestamp(token);
  const sessionIds = exported.sessions.map((session: { id: string }) => session.id);
  const messageIds = exported.sessions.flatMap((session: { messages: Array<{ id: string }> }) => session.messages.map((message) => message.id));
  return { token, exported, sessionIds, messageIds };
}

async function exportWithoutTimestamp(token: string) {
  const response = await http.get('/api/users/me/export', { token });
  expect(response.status).toBe(200);
  const { exportedAt: _ignored, ...rest } = response.body;
  return rest;
}

let learned = 0;

/** Learns tokens and ids from successful answers, so the run keeps reaching handlers as users come and go. */
function learnFrom(request: FuzzRequest, response: RawResponse, pools: FuzzPools): void {
  if (response.status >= 300 || !response.text.startsWith('{')) return;
  try {
    const body = JSON.parse(response.text) as Record<string, any>;
    // A ring of the newest tokens: those signed out or erased along the way make room for live ones.
    if (typeof body.token === 'string') pools.tokens[pools.tokens.length < 40 ? pools.tokens.length : learned++ % 40] = body.token;
    if (request.route === 'POST /api/sessions' && typeof body.session?.id === 'string') pools.sessionIds.push(body.session.id);
    if (request.route === 'POST /api/chat' && typeof body.userMessage?.id === 'string') pools.messageIds.push(body.userMessage.id);
  } catch {
    // A stream or a partial answer: nothing to learn.
  }
}

describe('a seeded fuzz over every route', () => {
  it(`answers ${REQUESTS} malformed and hostile requests without a 5xx, every error in the contract's shape`, { timeout: Math.max(60_000, REQUESTS * 60) }, async () => {
    const visitor = await createProtectedUser((await http.createUser()).token);
    const identified = await http.post('/api/users/identify', { body: { userToken: await signIdentity({ sub: 'fuzz-victim' }) } });
    const member = await createProtectedUser(identified.body.token);
    const attackers = await Promise.all([http.createUser(), http.createUser(), http.createUser()]);
    const pools: FuzzPools = {
      tokens: attackers.map((attacker) => attacker.token),
      sessionIds: [],
      messageIds: [],
      protectedSessionIds: [...visitor.sessionIds, ...member.sessionIds],
      protectedMessageIds: [...visitor.messageIds, ...member.messageIds],
      identityTokens: await identityTokens(),
      bodyLimit: BODY_LIMIT,
      metricsToken: METRICS_TOKEN,
    };
    for (const attacker of attackers) pools.sessionIds.push((await http.createSession(attacker.token)).id);

    const random = new SeededRandom(SEED);
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const statuses = new Map<number, number>();
    const problems: string[] = [];
    let refused = 0;
    let drawn = 0;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const worker = async () => {
      while (drawn < REQUESTS) {
        drawn += 1;
        const request = createFuzzRequest(random, pools);
        const response = await sendRawRequest(server.url, request, agent, REQUEST_LIMIT_MS).catch((error: Error) => error);
        if (response === undefined) {
          refused += 1;
          continue;
        }
        if (response instanceof Error) {
          problems.push(`${request.method} ${request.target.slice(0, 120)} [${request.route}]: ${response.message}`);
          continue;
        }
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const problem = findProblem(request, response);
        if (problem) problems.push(`${request.method} ${request.target.slice(0, 120)} [${request.route}] ${JSON.stringify(request.headers).slice(0, 200)}: ${problem}: ${response.text.slice(0, 200)}`);
        learnFrom(request, response, pools);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    agent.destroy();

    const cpu = process.cpuUsage(cpuBefore);
    const histogram = Object.fromEntries([...statuses.entries()].sort(([a], [b]) => a - b));
    const serverErrors = [...statuses.entries()].filter(([status]) => status >= 500).reduce((sum, [, count]) => sum + count, 0);
    console.log(
      `[fuzz] seed ${SEED}: ${REQUESTS - refused} requests answered (${refused} refused by the client library) in ${Math.round(performance.now() - started)} ms ` +
        `(${Math.round((cpu.user + cpu.system) / 1000)} ms of CPU in this process); ` +
        `statuses ${JSON.stringify(histogram)}; 5xx: ${serverErrors}; problems: ${problems.length}`,
    );

    expect(problems.slice(0, 15)).toEqual([]);
    expect(serverErrors).toBe(0);
    expect((await http.get('/healthz')).status).toBe(200);
    // Metrics are labelled by route template, never by the path a request made up.
    const metrics = await http.get('/metrics', { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    const routes = new Set([...metrics.text.matchAll(/^ai_chat_http_requests_total\{[^}]*route="([^"]*)"/gm)].map((match) => match[1]));
    expect(routes.size).toBeGreaterThan(5);
    expect([...routes].filter((route) => route !== 'unmatched' && !/^\/(api\/[a-z/:.-]*|healthz|readyz|metrics|widget\/ai-chat\.js|widget\/chunks\/:name|favicon\.ico|)$/.test(route!))).toEqual([]);
    expect(await exportWithoutTimestamp(visitor.token)).toEqual(visitor.exported);
    expect(await exportWithoutTimestamp(member.token)).toEqual(member.exported);
  });
});
