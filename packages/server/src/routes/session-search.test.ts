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

async function send(token: string, sessionId: string, content: string) {
  const response = await http.post('/api/chat', { token, body: { sessionId, content } });
  expect(response.status).toBe(200);
  return response.body as { userMessage: any; assistantMessage: any };
}

async function search(token: string, q: string, extra = '') {
  const response = await http.get(`/api/sessions?q=${encodeURIComponent(q)}${extra}`, { token });
  expect(response.status).toBe(200);
  return response.body as { sessions: any[]; nextCursor: string | null };
}

/** The marked parts of a match's snippet. */
function marked(match: { snippet: string; highlights: [number, number][] }): string[] {
  return match.highlights.map(([start, end]) => match.snippet.slice(start, end));
}

describe('GET /api/sessions?q=', () => {
  it("finds the caller's sessions by message text, by stem and in any case, with the snippet and the matched words marked", async () => {
    const { token } = await http.createUser();
    const other = await http.createUser();
    const lisbon = await http.createSession(token);
    const { userMessage } = await send(token, lisbon.id, 'Where should I stay in Lisbon? Looking for cheap HOTELS near the river.');
    const cooking = await http.createSession(token);
    await send(token, cooking.id, 'How long do I boil an egg?');
    const theirs = await http.createSession(other.token);
    await send(other.token, theirs.id, 'Hotels in Lisbon for me too');

    const found = await search(token, 'hotel');
    expect(found.sessions.map((session) => session.id)).toEqual([lisbon.id]);
    const [result] = found.sessions;
    expect(result).toMatchObject({ id: lisbon.id, messageCount: 2, title: expect.any(String), lastMessage: expect.any(Object) });
    expect(result.match.messageId).toBe(userMessage.id);
    expect(result.match.snippet).toContain('Looking for cheap HOTELS');
    expect(marked(result.match)).toEqual(['HOTELS']);
    expect(found.nextCursor).toBeNull();

    // Any of the words; each session once.
    const either = await search(token, 'egg lisbon');
    expect(either.sessions.map((session) => session.id).sort()).toEqual([lisbon.id, cooking.id].sort());
    expect((await search(other.token, 'egg')).sessions).toEqual([]);
  });

  it('finds a session by its title, best matches first', async () => {
    const { token } = await http.createUser();
    const titled = await http.createSession(token, { title: 'Porto weekend' });
    const mentioned = await http.createSession(token);
    await send(token, mentioned.id, 'We could also see Porto, or maybe Braga, or Coimbra, or the coast, if the weather allows it at all this month');
    const found = await search(token, 'porto');
    expect(found.sessions.map((session) => session.id)).toEqual([titled.id, mentioned.id]);
    expect(found.sessions[0].match).toBeUndefined();
    expect(found.sessions[1].match.snippet).toContain('Porto');
  });

  it('cuts a long message to a snippet of at most 200 characters around the match', async () => {
    const { token } = await http.createUser();
    const session = await http.createSession(token);
    const filler = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore. ';
    const { userMessage } = await send(token, session.id, `${filler.repeat(4)}The **password** reset link expired. ${filler.repeat(4)}`);
    const [result] = (await search(token, 'passwords')).sessions;
    expect(result.match.messageId).toBe(userMessage.id);
    expect(result.match.snippet.length).toBeLessThanOrEqual(200);
    expect(result.match.snippet.startsWith('…')).toBe(true);
    expect(result.match.snippet.endsWith('…')).toBe(true);
    // The snippet is plain text: the markdown marks are gone, the word is marked by its range.
    expect(result.match.snippet).toContain('The password reset link expired.');
    expect(marked(result.match)).toEqual(['password']);
  });

  it('searches the versions shown: an edited message is found by its new text, the earlier one once shown again', async () => {
    const { token } = await http.createUser();
    const session = await http.createSession(token);
    const { userMessage } = await send(token, session.id, 'Tell me about giraffes');
    await http.post('/api/chat', { token, body: { sessionId: session.id, editOf: userMessage.id, content: 'Tell me about penguins' } });
    expect((await search(token, 'penguin')).sessions).toHaveLength(1);
    expect((await search(token, 'giraffe')).sessions).toEqual([]);
    await http.post(`/api/messages/${userMessage.id}/show`, { token });
    expect((await search(token, 'giraffe')).sessions[0].match.messageId).toBe(userMessage.id);
  });

  it('pages with a cursor, never repeating a session, and forgets deleted sessions', async () => {
    const { token } = await http.createUser();
    const ids: string[] = [];
    for (const topic of ['volcano facts', 'volcano eruptions', 'volcano hiking']) {
      const session = await http.createSession(token);
      await send(token, session.id, `Tell me about ${topic}`);
      ids.push(session.id);
    }
    const first = await search(token, 'volcano', '&limit=2');
    expect(first.sessions).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await search(token, 'volcano', `&limit=2&cursor=${first.nextCursor}`);
    expect(second.sessions).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect([...first.sessions, ...second.sessions].map((session) => session.id).sort()).toEqual([...ids].sort());

    await http.delete(`/api/sessions/${ids[0]}`, { token });
    expect((await search(token, 'volcano')).sessions.map((session) => session.id).sort()).toEqual(ids.slice(1).sort());
  });

  it('takes what a visitor types (quotes, dashes, stop words) and refuses an empty or too long query', async () => {
    const { token } = await http.createUser();
    const session = await http.createSession(token);
    await send(token, session.id, 'The e-mail never arrived');
    expect((await search(token, '"e-mail" -never')).sessions.map((found) => found.id)).toEqual([session.id]);
    expect((await search(token, 'the and of')).sessions).toEqual([]);
    expect((await search(token, '"')).sessions).toEqual([]);
    const empty = await http.get('/api/sessions?q=', { token });
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject(errorShape('invalid_request'));
    expect((await http.get(`/api/sessions?q=${'x'.repeat(201)}`, { token })).status).toBe(400);
    expect((await http.get('/api/sessions?q=x&cursor=bogus', { token })).status).toBe(400);
    expect((await http.get('/api/sessions?q=x')).status).toBe(401);
  });
});
