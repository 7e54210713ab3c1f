import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@ai-chat/testkit';
import { errorShape, httpClient } from '../testing/http-client.js';

let server: TestServer;
let http: ReturnType<typeof httpClient>;

beforeAll(async () => {
  server = await startTestServer();
  http = httpClient(server.url);
});
afterAll(() => server.close());

describe('sessions', () => {
  it('creates a session with the default model and a placeholder title', async () => {
    const { token } = await http.createUser();
    const response = await http.post('/api/sessions', { token, body: {} });
    expect(response.status).toBe(201);
    expect(response.body.session).toMatchObject({ title: 'New chat', model: 'demo', messageCount: 0, lastMessage: null });
    expect(response.body.session.id).toMatch(/^[0-9a-f]{24}$/);
    expect(Date.parse(response.body.session.createdAt)).not.toBeNaN();
  });

  it('refuses an unknown model, an unknown field and a too long title, storing nothing', async () => {
    const { token } = await http.createUser();
    const unknownModel = await http.post('/api/sessions', { token, body: { model: 'gpt-99' } });
    expect(unknownModel.status).toBe(400);
    expect(unknownModel.body).toMatchObject(errorShape('invalid_request'));
    expect(unknownModel.body.error.message).toContain('gpt-99');
    const unknownField = await http.post('/api/sessions', { token, body: { title: 'x', owner: 'me' } });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.message).toContain('owner');
    const longTitle = await http.post('/api/sessions', { token, body: { title: 'x'.repeat(101) } });
    expect(longTitle.status).toBe(400);
    expect(longTitle.body.error.details[0].path).toBe('title');
    const list = await http.get('/api/sessions', { token });
    expect(list.body.sessions).toEqual([]);
  });

  it('retrieves, renames, changes the model of and deletes a session', async () => {
    const { token } = await http.createUser();
    const session = await http.createSession(token, { title: 'Trip plans' });
    const retrieved = await http.get(`/api/sessions/${session.id}`, { token });
    expect(retrieved.status).toBe(200);
    expect(retrieved.body.session).toEqual(session);

    const renamed = await http.patch(`/api/sessions/${session.id}`, { token, body: { title: '  Holiday in Lisbon  ' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.session.title).toBe('Holiday in Lisbon');
    const emptyTitle = await http.patch(`/api/sessions/${session.id}`, { token, body: { title: '   ' } });
    expect(emptyTitle.status).toBe(400);
    const badModel = await http.patch(`/api/sessions/${session.id}`, { token, body: { model: 'nope' } });
    expect(badModel.status).toBe(400);
    expect((await http.get(`/api/sessions/${session.id}`, { token })).body.session.title).toBe('Holiday in Lisbon');

    const deleted = await http.delete(`/api/sessions/${session.id}`, { token });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    const gone = await http.get(`/api/sessions/${session.id}`, { token });
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject(errorShape('not_found'));
  });

  it('validates ids before touching the database', async () => {
    const { token } = await http.createUser();
    for (const path of ['/api/sessions/123', '/api/sessions/zzzzzzzzzzzzzzzzzzzzzzzz', '/api/sessions/123/messages']) {
      const response = await http.get(path, { token });
      expect(response.status, path).toBe(400);
      expect(response.body).toMatchObject(errorShape('invalid_request'));
    }
  });

  it('pages through 45 sessions with tied timestamps, every session exactly once, most recent first', async () => {
    const { token, id: userId } = await http.createUser();
    const created = [];
    for (let index = 0; index < 45; index += 1) created.push(await http.createSession(token, { title: `Session ${index}` }));
    // Give groups of sessions the same updatedAt, as concurrent activity does.
    const { Types } = await import('mongoose');
    const sessions = server.database.models.ChatSession;
    const base = Date.now();
    for (const [index, session] of created.entries()) {
      await sessions.updateOne(
        { _id: new Types.ObjectId(session.id), userId: new Types.ObjectId(userId) },
        { $set: { updatedAt: new Date(base - Math.floor(index / 4) * 1000) } },
        { timestamps: false },
      );
    }
    const seen: string[] = [];
    const updatedAts: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=10&cursor=${encodeURIComponent(cursor)}` : '?limit=10';
      const page = await http.get(`/api/sessions${query}`, { token });
      expect(page.status).toBe(200);
      expect(page.body.sessions.length).toBeLessThanOrEqual(10);
      for (const session of page.body.sessions) {
        seen.push(session.id);
        updatedAts.push(Date.parse(session.updatedAt));
      }
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(5);
    expect(seen).toHaveLength(45);
    expect(new Set(seen).size).toBe(45);
    expect(new Set(seen)).toEqual(new Set(created.map((session) => session.id)));
    expect(updatedAts).toEqual([...updatedAts].sort((a, b) => b - a));
  });

  it('caps the page size and rejects a forged cursor', async () => {
    const { token } = await http.createUser();
    expect((await http.get('/api/sessions?limit=51', { token })).status).toBe(400);
    expect((await http.get('/api/sessions?limit=0', { token })).status).toBe(400);
    expect((await http.get('/api/sessions?limit=abc', { token })).status).toBe(400);
    expect((await http.get('/api/sessions?sort=title', { token })).status).toBe(400);
    const forged = await http.get('/api/sessions?cursor=not-a-cursor', { token });
    expect(forged.status).toBe(400);
    expect(forged.body.error.details[0].path).toBe('cursor');
  });

  it("answers 404 for every probe of another user's session, and changes nothing", async () => {
    const owner = await http.createUser();
    const intruder = await http.createUser();
    const session = await http.createSession(owner.token, { title: 'Private' });
    const probes = [
      http.get(`/api/sessions/${session.id}`, { token: intruder.token }),
      http.patch(`/api/sessions/${session.id}`, { token: intruder.token, body: { title: 'Hacked' } }),
      http.delete(`/api/sessions/${session.id}`, { token: intruder.token }),
      http.get(`/api/sessions/${session.id}/messages`, { token: intruder.token }),
      http.post(`/api/sessions/${session.id}/stop`, { token: intruder.token }),
      http.post('/api/chat', { token: intruder.token, body: { sessionId: session.id, content: 'hi' } }),
    ];
    for (const response of await Promise.all(probes)) {
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject(errorShape('not_found'));
    }
    const missing = await http.get(`/api/sessions/${'0'.repeat(24)}`, { token: intruder.token });
    expect(missing.body.error.message).toBe((await probes[0]!).body.error.message);
    const intact = await http.get(`/api/sessions/${session.id}`, { token: owner.token });
    expect(intact.body.session).toMatchObject({ title: 'Private', messageCount: 0 });
    expect((await http.get('/api/sessions', { token: intruder.token })).body.sessions).toEqual([]);
  });
});

describe('messages', () => {
  it('pages back through history, oldest first within a page', async () => {
    const { token } = await http.createUser();
    const session = await http.createSession(token);
    for (let index = 0; index < 3; index += 1) {
      const reply = await http.post('/api/chat', { token, body: { sessionId: session.id, content: `question ${index}` } });
      expect(reply.status).toBe(200);
    }
    const newest = await http.get(`/api/sessions/${session.id}/messages?limit=4`, { token });
    expect(newest.status).toBe(200);
    expect(newest.body.hasMore).toBe(true);
    expect(newest.body.messages.map((message: { role: string }) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(newest.body.messages[0].content).toBe('question 1');
    const older = await http.get(`/api/sessions/${session.id}/messages?limit=4&before=${newest.body.messages[0].id}`, { token });
    expect(older.body.hasMore).toBe(false);
    expect(older.body.messages.map((message: { content: string }) => message.content.slice(0, 10))).toEqual([
      'question 0',
      expect.any(String),
    ]);
    expect(older.body.messages[1].role).toBe('assistant');
    expect((await http.get(`/api/sessions/${session.id}/messages?limit=101`, { token })).status).toBe(400);
    const foreignBefore = await http.get(`/api/sessions/${session.id}/messages?before=${'0'.repeat(24)}`, { token });
    expect(foreignBefore.status).toBe(404);
  });
});
