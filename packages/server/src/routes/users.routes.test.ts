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
    const stored = await server.database.models.User.findById(response.body.user.id).lean();
    expect(stored?.tokenHash).toBe(hashToken(response.body.token));
    expect(JSON.stringify(stored)).not.toContain(response.body.token);
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
  it('identifies with a valid token, the same user and token from any browser', async () => {
    const first = await http.post('/api/users/identify', { body: { userToken: await signIdentity('host-user-1') } });
    expect(first.status).toBe(200);
    expect(first.body.user).toMatchObject({ kind: 'identified', externalId: 'host-user-1' });
    const second = await http.post('/api/users/identify', { body: { userToken: await signIdentity('host-user-1') } });
    expect(second.body.user.id).toBe(first.body.user.id);
    expect(second.body.token).toBe(first.body.token);
    const session = await http.createSession(first.body.token, { title: 'Shared' });
    const seen = await http.get('/api/sessions', { token: second.body.token });
    expect(seen.body.sessions.map((item: { id: string }) => item.id)).toEqual([session.id]);
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
