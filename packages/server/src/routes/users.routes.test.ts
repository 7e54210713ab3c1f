import { createHmac, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../services/identity.service.js';
import { errorShape, httpClient } from '../testing/http-client.js';
import { startTestServer, type TestServer } from '@ai-chat/testkit';

let server: TestServer;
let http: ReturnType<typeof httpClient>;

beforeAll(async () => {
  server = await startTestServer();
  http = httpClient(server.url);
});
afterAll(() => server.close());

function signIdentity(sub: string, options: { secret?: string; expiresIn?: string | number; alg?: string } = {}) {
  const jwt = new SignJWT({}).setProtectedHeader({ alg: options.alg ?? 'HS256' }).setSubject(sub).setIssuedAt();
  jwt.setExpirationTime(options.expiresIn ?? '5m');
  return jwt.sign(new TextEncoder().encode(options.secret ?? server.identitySecret));
}

describe('anonymous visitors', () => {
  it('creates a visitor with a 256-bit token and stores only its hash', async () => {
    const response = await http.post('/api/users');
    expect(response.status).toBe(201);
    expect(response.body.user).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{24}$/), kind: 'anonymous' });
    expect(Buffer.from(response.body.token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const { models } = server.database;
    const stored = await models.AccessToken.find({ userId: response.body.user.id }).lean();
    expect(stored.map((token) => token.tokenHash)).toEqual([hashToken(response.body.token)]);
    expect(stored[0]?.expiresAt).toBeUndefined();
    const user = await models.User.findById(response.body.user.id).lean();
    expect(JSON.stringify([stored, user])).not.toContain(response.body.token);
  });

  it('answers GET /api/users/me for a valid token and 401 otherwise', async () => {
    const { token, id } = await http.createUser();
    const me = await http.get('/api/users/me', { token });
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(id);
    const attempts: Array<Record<string, string>> = [{}, { Authorization: 'Bearer not-a-real-token-at-all' }, { Authorization: 'Basic abc' }];
    for (const headers of attempts) {
      const response = await http.get('/api/users/me', { headers });
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject(errorShape('unauthorized'));
    }
    expect((await http.get('/api/sessions')).status).toBe(401);
    expect((await http.get('/api/models')).status).toBe(401);
  });

  it('erases a user with its sessions and messages; the token stops working', async () => {
    const { token, id } = await http.createUser();
    const session = await http.createSession(token);
    expect((await http.post('/api/chat', { token, body: { sessionId: session.id, content: 'remember me' } })).status).toBe(200);
    const other = await http.createUser();
    const otherSession = await http.createSession(other.token);
    expect((await http.delete('/api/users/me', { token })).status).toBe(204);
    expect((await http.get('/api/users/me', { token })).status).toBe(401);
    const { models } = server.database;
    expect(await models.ChatSession.countDocuments({ userId: id })).toBe(0);
    expect(await models.Message.countDocuments({ userId: id })).toBe(0);
    expect(await models.User.countDocuments({ _id: id })).toBe(0);
    expect((await http.get(`/api/sessions/${otherSession.id}`, { token: other.token })).status).toBe(200);
  });

  it('exports every session with its messages', async () => {
    const { token } = await http.createUser();
    const first = await http.createSession(token, { title: 'First' });
    await http.createSession(token, { title: 'Second' });
    await http.post('/api/chat', { token, body: { sessionId: first.id, content: 'export me' } });
    const response = await http.get('/api/users/me/export', { token });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain('attachment');
    expect(response.body.sessions).toHaveLength(2);
    const exported = response.body.sessions.find((session: { id: string }) => session.id === first.id);
    expect(exported.messages.map((message: { role: string }) => message.role)).toEqual(['user', 'assistant']);
    expect(exported.messages[0].content).toBe('export me');
    expect(exported.messages[1].status).toBe('complete');
  });
});

describe('identified users', () => {
  it('identifies with a valid token: the same user from any browser, each browser with a random token of its own', async () => {
    const first = await http.post('/api/users/identify', { body: { userToken: await signIdentity('host-user-1') } });
    expect(first.status).toBe(200);
    expect(first.body.user).toMatchObject({ kind: 'identified', externalId: 'host-user-1' });
    const second = await http.post('/api/users/identify', { body: { userToken: await signIdentity('host-user-1') } });
    expect(second.body.user.id).toBe(first.body.user.id);
    expect(second.body.token).not.toBe(first.body.token);
    for (const token of [first.body.token, second.body.token]) expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const session = await http.createSession(first.body.token, { title: 'Shared' });
    const seen = await http.get('/api/sessions', { token: second.body.token });
    expect(seen.body.sessions.map((item: { id: string }) => item.id)).toEqual([session.id]);
    const stored = await server.database.models.AccessToken.find({ userId: first.body.user.id }).lean();
    expect(stored.map((token) => token.tokenHash).sort()).toEqual([hashToken(first.body.token), hashToken(second.body.token)].sort());
    expect(JSON.stringify(stored)).not.toContain(first.body.token);
  });

  it('refuses an identity token whose sub is not a string of 1 to 256 characters, reaching no query', async () => {
    const signed = (sub: unknown) =>
      new SignJWT({ sub } as Record<string, unknown>).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode(server.identitySecret));
    const subjects: unknown[] = [{ $ne: null }, { $gt: '' }, ['host-user-1'], 12345, '', 'x'.repeat(257), null, true, {}];
    for (const sub of subjects) {
      const response = await http.post('/api/users/identify', { body: { userToken: await signed(sub) } });
      expect(response.status, JSON.stringify(sub)).toBe(401);
      expect(response.body, JSON.stringify(sub)).toMatchObject(errorShape('unauthorized'));
    }
    const { User } = server.database.models;
    expect(await User.countDocuments({ kind: 'identified', externalId: { $nin: ['host-user-1', 'merge-user'] } })).toBe(0);
    // The string "12345" is a user id like any other, and the number 12345 did not become it.
    const numeric = await http.post('/api/users/identify', { body: { userToken: await signIdentity('12345') } });
    expect(numeric.status).toBe(200);
    expect(numeric.body.user.externalId).toBe('12345');
    expect(await User.countDocuments({ externalId: '12345' })).toBe(1);
  });

  it('refuses expired, wrongly signed, unsigned and malformed tokens', async () => {
    const cases: Array<[string, string]> = [
      ['expired', await signIdentity('u', { expiresIn: Math.floor(Date.now() / 1000) - 3600 })],
      ['wrong secret', await signIdentity('u', { secret: 'another-secret-that-is-long-enough-0123456789' })],
      ['malformed', 'not.a.jwt'],
      ['alg none', `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"u","exp":9999999999}').toString('base64url')}.`],
    ];
    for (const [label, userToken] of cases) {
      const response = await http.post('/api/users/identify', { body: { userToken } });
      expect(response.status, label).toBe(401);
      expect(response.body, label).toMatchObject(errorShape('unauthorized'));
    }
    const noExp = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('u').sign(new TextEncoder().encode(server.identitySecret));
    expect((await http.post('/api/users/identify', { body: { userToken: noExp } })).status).toBe(401);
    expect((await http.post('/api/users/identify', { body: {} })).status).toBe(400);
    expect(await server.database.models.User.countDocuments({ externalId: 'u' })).toBe(0);
  });

  it("moves an anonymous visitor's sessions to the identified user: none lost, none duplicated", async () => {
    const visitor = await http.createUser();
    const a = await http.createSession(visitor.token, { title: 'A' });
    const b = await http.createSession(visitor.token, { title: 'B' });
    await http.post('/api/chat', { token: visitor.token, body: { sessionId: a.id, content: 'before login' } });
    const existing = await http.post('/api/users/identify', { body: { userToken: await signIdentity('merge-user') } });
    const own = await http.createSession(existing.body.token, { title: 'Own' });

    const merged = await http.post('/api/users/identify', {
      token: visitor.token,
      body: { userToken: await signIdentity('merge-user') },
    });
    expect(merged.status).toBe(200);
    const list = await http.get('/api/sessions', { token: merged.body.token });
    expect(list.body.sessions.map((session: { id: string }) => session.id).sort()).toEqual([a.id, b.id, own.id].sort());
    const history = await http.get(`/api/sessions/${a.id}/messages`, { token: merged.body.token });
    expect(history.body.messages.map((message: { content: string }) => message.content)[0]).toBe('before login');
    expect((await http.get('/api/users/me', { token: visitor.token })).status).toBe(401);
    // Identifying again with the spent visitor token moves nothing twice.
    const again = await http.post('/api/users/identify', { token: visitor.token, body: { userToken: await signIdentity('merge-user') } });
    expect(again.status).toBe(200);
    expect((await http.get('/api/sessions', { token: merged.body.token })).body.sessions).toHaveLength(3);
  });
});

describe('tokens: per browser, revocable, expiring', () => {
  const identify = async (sub: string, token?: string) => {
    const response = await http.post('/api/users/identify', { token, body: { userToken: await signIdentity(sub) } });
    expect(response.status).toBe(200);
    return response.body as { user: { id: string }; token: string };
  };
  const status = async (token: string) => (await http.get('/api/users/me', { token })).status;

  it('signs out the token of the call only: the other browsers stay signed in', async () => {
    const laptop = await identify('sign-out-user');
    const phone = await identify('sign-out-user');
    const signedOut = await http.post('/api/users/me/sign-out', { token: laptop.token });
    expect(signedOut.status).toBe(204);
    expect(signedOut.text).toBe('');
    expect(await status(laptop.token)).toBe(401);
    expect((await http.post('/api/users/me/sign-out', { token: laptop.token })).status).toBe(401);
    expect(await status(phone.token)).toBe(200);
    // An anonymous visitor can sign out too.
    const visitor = await http.createUser();
    expect((await http.post('/api/users/me/sign-out', { token: visitor.token })).status).toBe(204);
    expect(await status(visitor.token)).toBe(401);
  });

  it('revokes every token of a user it erases; identifying again gives a new token, never an old one', async () => {
    const laptop = await identify('erased-user');
    const phone = await identify('erased-user');
    expect((await http.delete('/api/users/me', { token: laptop.token })).status).toBe(204);
    expect(await status(laptop.token)).toBe(401);
    expect(await status(phone.token)).toBe(401);
    const again = await identify('erased-user');
    expect([laptop.token, phone.token]).not.toContain(again.token);
    expect(again.user.id).not.toBe(laptop.user.id);
    expect(await status(laptop.token)).toBe(401);
    expect(await server.database.models.AccessToken.countDocuments({ userId: laptop.user.id })).toBe(0);
  });

  it("revokes the visitor's token when its sessions move to the identified user", async () => {
    const visitor = await http.createUser();
    await identify('merged-token-user', visitor.token);
    expect(await status(visitor.token)).toBe(401);
    expect(await server.database.models.AccessToken.countDocuments({ userId: visitor.id })).toBe(0);
  });

  it('refuses the derived token 0.1.0 gave identified users', async () => {
    const { user } = await identify('derived-token-user');
    const derived = createHmac('sha256', server.identitySecret).update('ai-chat identified user\u0000derived-token-user').digest('base64url');
    await server.database.models.User.updateOne({ _id: user.id }, { $set: { tokenHash: hashToken(derived) } });
    expect(await status(derived)).toBe(401);
  });

  it("keeps a 0.1.0 visitor's token working, moving it to the token collection on first use", async () => {
    const token = randomBytes(32).toString('base64url');
    const { models } = server.database;
    const legacy = await models.User.create({ kind: 'anonymous', tokenHash: hashToken(token) });
    const me = await http.get('/api/users/me', { token });
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(legacy._id.toHexString());
    expect(await models.AccessToken.countDocuments({ userId: legacy._id, tokenHash: hashToken(token) })).toBe(1);
    expect((await models.User.findById(legacy._id).lean())?.tokenHash).toBeUndefined();
    expect(await status(token)).toBe(200);
  });
});

describe('the expiry of identified tokens', () => {
  let shortLived: TestServer;
  let client: ReturnType<typeof httpClient>;
  beforeAll(async () => {
    // These tests move expiries in the database behind the server's back, which a token cached in memory would not see.
    shortLived = await startTestServer({ env: { IDENTIFIED_TOKEN_EXPIRY: '2h', TOKEN_CACHE_TTL_MS: '0' } });
    client = httpClient(shortLived.url);
  });
  afterAll(() => shortLived.close());

  const identifyOn = async (sub: string) =>
    (await client.post('/api/users/identify', { body: { userToken: await signIdentity(sub) } })).body as { user: { id: string }; token: string };
  const expiryOf = async (token: string) => (await shortLived.database.models.AccessToken.findOne({ tokenHash: hashToken(token) }).lean())?.expiresAt?.getTime();

  it('lasts as configured, slides with use, and stops working once lapsed', async () => {
    const before = Date.now();
    const { token } = await identifyOn('expiring-user');
    const issuedUntil = await expiryOf(token);
    expect(issuedUntil).toBeGreaterThanOrEqual(before + 2 * 3_600_000);
    expect(issuedUntil).toBeLessThanOrEqual(Date.now() + 2 * 3_600_000);

    // Unused for almost two hours: the next use moves the expiry two hours on again.
    const { AccessToken } = shortLived.database.models;
    await AccessToken.updateOne({ tokenHash: hashToken(token) }, { $set: { expiresAt: new Date(Date.now() + 60_000) } });
    const used = Date.now();
    expect((await client.get('/api/users/me', { token })).status).toBe(200);
    expect(await expiryOf(token)).toBeGreaterThanOrEqual(used + 2 * 3_600_000);

    await AccessToken.updateOne({ tokenHash: hashToken(token) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const lapsed = await client.get('/api/sessions', { token });
    expect(lapsed.status).toBe(401);
    expect(lapsed.body).toMatchObject(errorShape('unauthorized'));
  });

  it("never expires a visitor's token", async () => {
    const { token } = await client.createUser();
    expect(await expiryOf(token)).toBeUndefined();
  });
});
