import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChatStream } from '../testing/chat-stream-client.js';
import { fakeScenario, type FakeVendorServer, startFakeOpenAI, startTestServer, type TestServer } from '@ai-chat/testkit';
import { httpClient } from '../testing/http-client.js';

describe('a configured title model', () => {
  let vendor: FakeVendorServer;
  let server: TestServer;

  beforeAll(async () => {
    vendor = await startFakeOpenAI({
      respond: (request) => {
        const body = request.body as { messages: Array<{ role: string; content: string }> };
        const isTitleRequest = body.messages.some((message) => message.role === 'system' && message.content.includes('titles'));
        return isTitleRequest ? fakeScenario.reply('"Tidal Forces Explained."') : fakeScenario.reply('The moon pulls the oceans.', { chunkDelayMs: 40 });
      },
    });
    server = await startTestServer({
      env: {
        AI_CHAT_MODELS: JSON.stringify([{ id: 'fake', provider: 'openai-compatible', model: 'm', baseURL: vendor.baseURL, default: true }]),
        AI_CHAT_TITLE_MODEL: 'fake',
      },
    });
  });
  afterAll(async () => {
    await server.close();
    await vendor.close();
  });

  it('replaces the first-message title with a generated one, announced in a session-update', async () => {
    const http = httpClient(server.url);
    const { token } = await http.createUser();
    const session = await http.createSession(token);
    const stream = await openChatStream(server.url, token, { sessionId: session.id, content: 'why are there tides twice a day' });
    await stream.ended;
    const titles = stream.events.filter((event) => event.event === 'session-update').map((event) => event.data.session.title);
    expect(titles[0]).toBe('why are there tides twice a day');
    expect(titles).toContain('Tidal Forces Explained');
    expect((await http.get(`/api/sessions/${session.id}`, { token })).body.session.title).toBe('Tidal Forces Explained');
  });

  it('never replaces a title the visitor chose', async () => {
    const http = httpClient(server.url);
    const { token } = await http.createUser();
    const session = await http.createSession(token, { title: 'My own title' });
    await http.post('/api/chat', { token, body: { sessionId: session.id, content: 'why are there tides' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await http.get(`/api/sessions/${session.id}`, { token })).body.session.title).toBe('My own title');
  });
});

describe('titles and previews over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it("keep the visitor's words: only markdown markup goes, never characters that are text", async () => {
    const http = httpClient(server.url);
    const { token } = await http.createUser();
    const session = await http.createSession(token);
    const content = 'What is 5 > 3 in C#? snake_case_name and 2*3 [x](javascript:alert(1))';
    const sent = await http.post('/api/chat', { token, body: { sessionId: session.id, content } });
    expect(sent.status).toBe(200);
    const listed = (await http.get('/api/sessions', { token })).body.sessions[0];
    expect(listed.title).toBe('What is 5 > 3 in C#? snake_case_name and 2*3 x');
    const messages = (await http.get(`/api/sessions/${session.id}/messages`, { token })).body.messages;
    expect(messages[0].content).toBe(content);
  });
});
