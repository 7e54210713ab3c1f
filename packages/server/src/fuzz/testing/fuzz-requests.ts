import { respellPath } from './path-spellings.js';
import { encodeBody, mutateBody } from './request-bodies.js';
import type { SeededRandom } from './seeded-random.js';

/** One request of a fuzz run, as sent on the wire. */
export interface FuzzRequest {
  /** The route it was made from, e.g. `GET /api/sessions/:id`, for the report. */
  route: string;
  method: string;
  /** The raw request target, exactly as written on the request line. */
  target: string;
  headers: Record<string, string>;
  body?: Buffer | undefined;
}

/**
 * What the fuzzer draws from: tokens and ids it learned (its own), the protected user's ids (which must stay
 * untouched), and identity JWTs (valid for throwaway users, or forged in every way).
 */
export interface FuzzPools {
  tokens: string[];
  sessionIds: string[];
  messageIds: string[];
  protectedSessionIds: string[];
  protectedMessageIds: string[];
  identityTokens: string[];
  metricsToken: string;
  /** The server's body limit, for bodies just over it. */
  bodyLimit: number;
}

interface RouteTemplate {
  method: string;
  path: string;
  weight: number;
  body?: (random: SeededRandom, pools: FuzzPools) => Record<string, unknown>;
  query?: (random: SeededRandom, pools: FuzzPools) => string;
}

const titles = (random: SeededRandom) => random.pick(['Trip', 'x'.repeat(100), 'x'.repeat(101), '  ', 'Ünïcødé 😀', '<b>bold</b>']);
const models = (random: SeededRandom) => random.pick(['demo', 'unknown-model', '', 'x'.repeat(101)]);

const ROUTES: RouteTemplate[] = [
  { method: 'POST', path: '/api/users', weight: 1, body: () => ({}) },
  { method: 'POST', path: '/api/users/identify', weight: 2, body: (random, pools) => ({ userToken: random.pick(pools.identityTokens) }) },
  { method: 'GET', path: '/api/users/me', weight: 2 },
  { method: 'DELETE', path: '/api/users/me', weight: 0.2 },
  { method: 'GET', path: '/api/users/me/export', weight: 1 },
  { method: 'POST', path: '/api/users/me/sign-out', weight: 0.2 },
  { method: 'GET', path: '/api/models', weight: 1 },
  { method: 'GET', path: '/api/config', weight: 0.5 },
  {
    method: 'POST',
    path: '/api/sessions',
    weight: 3,
    body: (random) => ({ ...(random.chance(0.5) ? { title: titles(random) } : {}), ...(random.chance(0.3) ? { model: models(random) } : {}) }),
  },
  { method: 'GET', path: '/api/sessions', weight: 3, query: listSessionsQuery },
  { method: 'GET', path: '/api/sessions/:id', weight: 3 },
  { method: 'PATCH', path: '/api/sessions/:id', weight: 2, body: (random) => (random.chance(0.7) ? { title: titles(random) } : { model: models(random) }) },
  { method: 'DELETE', path: '/api/sessions/:id', weight: 1 },
  { method: 'GET', path: '/api/sessions/:id/messages', weight: 3, query: listMessagesQuery },
  { method: 'POST', path: '/api/sessions/:id/stop', weight: 1 },
  {
    method: 'POST',
    path: '/api/chat',
    weight: 3,
    body: (random, pools) => ({
      sessionId: pickId(random, pools),
      content: random.pick(['Hello', 'x'.repeat(32_001), '   ', 'What is 2+2?']),
      ...(random.chance(0.5) ? { clientMessageId: random.pick(['c-1', 'c-2', `c-${random.hex(8)}`, 'bad id!', '']) } : {}),
      ...(random.chance(0.2) ? { model: models(random) } : {}),
    }),
  },
  {
    method: 'POST',
    path: '/api/chat',
    weight: 1.5,
    // A new version of the last reply, or of a user message (the protected user's ids among them).
    body: (random, pools) => (random.chance(0.5)
      ? { sessionId: pickId(random, pools), regenerate: random.pick([true, false, 'yes', 1]), ...(random.chance(0.3) ? { model: models(random) } : {}), ...(random.chance(0.2) ? { content: 'Hello' } : {}) }
      : { sessionId: pickId(random, pools), editOf: pickMessageId(random, pools), ...(random.chance(0.9) ? { content: random.pick(['Edited', '', 'x'.repeat(32_001)]) } : {}) }),
  },
  { method: 'POST', path: '/api/messages/:mid/show', weight: 1 },
  {
    method: 'PUT',
    path: '/api/messages/:mid/feedback',
    weight: 1.5,
    body: (random) => ({
      rating: random.pick(['up', 'down', null, 'meh', 1, '']),
      ...(random.chance(0.5) ? { reason: random.pick(['Too long', '', 'x'.repeat(501), { $ne: null }]) } : {}),
    }),
  },
  { method: 'GET', path: '/api/openapi.json', weight: 0.5 },
  { method: 'GET', path: '/healthz', weight: 0.5 },
  { method: 'GET', path: '/readyz', weight: 0.5 },
  { method: 'GET', path: '/metrics', weight: 0.5 },
  { method: 'GET', path: '/', weight: 0.5 },
  { method: 'GET', path: '/widget/ai-chat.js', weight: 0.5 },
  { method: 'GET', path: '/widget/chunks/highlight-3f2a9c1d.js', weight: 0.3 },
  { method: 'GET', path: '/favicon.ico', weight: 0.3 },
  { method: 'GET', path: '/api', weight: 0.3 },
  { method: 'GET', path: '/api/nothing-here', weight: 0.3 },
  { method: 'GET', path: '/no/such/page', weight: 0.3 },
];

const TOTAL_WEIGHT = ROUTES.reduce((sum, route) => sum + route.weight, 0);
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'PROPFIND', 'TRACE', 'FOO', 'get'];

/** Draws one request: a route of the API, then its method, path, ids, query, headers and body, each maybe mangled. */
export function createFuzzRequest(random: SeededRandom, pools: FuzzPools): FuzzRequest {
  const route = pickRoute(random);
  const method = random.chance(0.88) ? route.method : random.pick(METHODS);
  let path = route.path.replace(':id', () => pickId(random, pools)).replace(':mid', () => pickMessageId(random, pools));
  if (random.chance(0.3)) path = respellPath(path, random);
  const query = route.query && random.chance(0.7) ? route.query(random, pools) : random.chance(0.08) ? junkQuery(random) : '';
  const headers = pickHeaders(random, pools, route);
  let body: Buffer | undefined;
  const sendsBody = route.body ? random.chance(0.95) : random.chance(0.1);
  if (sendsBody) {
    const valid = route.body?.(random, pools) ?? {};
    const encoded = encodeBody(random.chance(0.65) ? valid : mutateBody(valid, random), random, pools.bodyLimit);
    Object.assign(headers, encoded.headers);
    body = encoded.bytes;
  }
  return { route: `${route.method} ${route.path}`, method, target: toRequestTarget(`${path}${query}`), headers, body };
}

function pickRoute(random: SeededRandom): RouteTemplate {
  let remaining = random.next() * TOTAL_WEIGHT;
  for (const route of ROUTES) {
    remaining -= route.weight;
    if (remaining < 0) return route;
  }
  return ROUTES.at(-1)!;
}

function pickId(random: SeededRandom, pools: FuzzPools): string {
  const roll = random.next();
  if (roll < 0.45 && pools.sessionIds.length > 0) return random.pick(pools.sessionIds);
  if (roll < 0.7) return random.pick(pools.protectedSessionIds);
  if (roll < 0.8) return random.hex(24);
  return random.pick(['', 'abc', random.hex(24).toUpperCase(), random.hex(23), random.hex(25), '%24ne', '{"$ne":null}', '..', '%2e%2e', 'null', '0'.repeat(24), 'é'.repeat(24), random.pick(pools.protectedMessageIds)]);
}

function pickMessageId(random: SeededRandom, pools: FuzzPools): string {
  const roll = random.next();
  if (roll < 0.45 && pools.messageIds.length > 0) return random.pick(pools.messageIds);
  if (roll < 0.7 && pools.protectedMessageIds.length > 0) return random.pick(pools.protectedMessageIds);
  if (roll < 0.8) return random.hex(24);
  return random.pick(['', 'abc', random.hex(23), '%24ne', '{"$ne":null}', '..', 'null', random.pick(pools.protectedSessionIds)]);
}

function listSessionsQuery(random: SeededRandom): string {
  const parts: string[] = [];
  if (random.chance(0.6)) parts.push(`limit=${random.pick(['1', '20', '50', '51', '0', '-1', 'abc', '1e3', '2.5', '', '1&limit=2'])}`);
  if (random.chance(0.4)) {
    const cursor = random.pick([
      Buffer.from(`${Date.now()}.${random.hex(24)}`).toString('base64url'),
      Buffer.from('{"$ne":null}').toString('base64url'),
      Buffer.from(`99999999999999999.${random.hex(24)}`).toString('base64url'),
      'x'.repeat(201),
      '%ff%fe',
      '',
    ]);
    parts.push(`cursor=${cursor}`);
  }
  if (random.chance(0.25)) parts.push(`q=${random.pick(['hello', 'the', '%22quoted%20phrase%22', '-not', 'Ünïcødé', '%24where', 'q'.repeat(600), '', '%00', 'a&q=b'])}`);
  if (random.chance(0.1)) parts.push(random.pick(['extra=1', 'limit[$gt]=1', '__proto__[x]=1', 'q[$ne]=1']));
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

function listMessagesQuery(random: SeededRandom, pools: FuzzPools): string {
  const parts: string[] = [];
  if (random.chance(0.5)) parts.push(`limit=${random.pick(['1', '50', '100', '101', '0', 'abc', '-5'])}`);
  if (random.chance(0.5)) {
    const before = random.pick([...pools.messageIds, ...pools.protectedMessageIds, random.hex(24), 'nope', '']);
    parts.push(`before=${before ?? random.hex(24)}`);
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

function junkQuery(random: SeededRandom): string {
  return random.pick(['?', '?&&&', '?a=%', '?a=%E0%A4%A', '?a[b]=c', '?__proto__=1', `?x=${'y'.repeat(4000)}`, '?limit=1&limit=2&limit=3']);
}

function pickHeaders(random: SeededRandom, pools: FuzzPools, route: RouteTemplate): Record<string, string> {
  const headers: Record<string, string> = {};
  const authorization = pickAuthorization(random, pools, route);
  if (authorization !== undefined) headers.Authorization = authorization;
  headers.Accept = random.chance(0.75) ? 'application/json' : random.pick(['text/event-stream', '*/*', 'text/html', 'application/xml', '', 'text/event-stream, application/json;q=0.1']);
  if (random.chance(0.15)) headers.Origin = random.pick(['https://shop.example', 'https://evil.example', 'null', 'http://127.0.0.1']);
  if (random.chance(0.1)) headers['X-Request-Id'] = random.pick(['trace-12345678', '<script>', 'x'.repeat(300), '../../etc/passwd']);
  if (random.chance(0.05)) headers['If-None-Match'] = random.pick(['*', '"abc"', 'W/"x"']);
  if (random.chance(0.05)) headers['X-Forwarded-For'] = random.pick(['1.2.3.4', 'garbage', '::1, 10.0.0.1']);
  if (random.chance(0.03)) headers.Cookie = 'a=b';
  return headers;
}

function pickAuthorization(random: SeededRandom, pools: FuzzPools, route: RouteTemplate): string | undefined {
  if (route.path === '/metrics' && random.chance(0.5)) return random.pick([`Bearer ${pools.metricsToken}`, `Bearer ${pools.metricsToken}x`, 'Bearer ']);
  const roll = random.next();
  if (roll < 0.65 && pools.tokens.length > 0) return `Bearer ${random.pick(pools.tokens)}`;
  if (roll < 0.75) return undefined;
  const token = pools.tokens.length > 0 ? random.pick(pools.tokens) : 'x';
  return random.pick([
    `bearer ${token}`,
    `Bearer  ${token}`,
    `Bearer ${token} `,
    `Basic ${Buffer.from('a:b').toString('base64')}`,
    'Bearer',
    'Bearer ',
    `Bearer ${random.hex(43)}`,
    `Bearer ${'A'.repeat(600)}`,
    `Bearer ${token.toUpperCase()}`,
    `Bearer ${token.slice(0, -1)}`,
    'Bearer {"$ne":null}',
    `Bearer ${pools.metricsToken}`,
  ]);
}

// The request line must be ASCII without spaces or controls: anything else is percent-encoded, as a client would.
function toRequestTarget(target: string): string {
  return target.replace(/[^\x21-\x7e]/gu, (character) => encodeURIComponent(character));
}
