import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScenario, startFakeAnthropic, startFakeOpenAI, startTestServer, type FakeVendorServer, type TestServer } from '@ai-chat/testkit';
import { openChatStream, streamedText, type OpenedChatStream } from '../testing/chat-stream-client.js';
import { httpClient } from '../testing/http-client.js';

let openai: FakeVendorServer;
let anthropic: FakeVendorServer;
let server: TestServer;
let http: ReturnType<typeof httpClient>;

const GPT = { id: 'fake-gpt', label: 'Fake GPT', provider: 'openai-compatible', model: 'gpt-upstream', baseURL: '' };
const CLAUDE = { id: 'fake-claude', label: 'Fake Claude', provider: 'anthropic', model: 'claude-upstream', baseURL: '', apiKeyEnv: 'FAKE_ANTHROPIC_KEY' };

beforeAll(async () => {
  openai = await startFakeOpenAI();
  anthropic = await startFakeAnthropic();
  server = await startTestServer({
    env: {
      AI_CHAT_MODELS: JSON.stringify([{ ...GPT, baseURL: openai.baseURL, default: true }, { ...CLAUDE, baseURL: anthropic.baseURL }]),
      FAKE_ANTHROPIC_KEY: 'sk-ant-test-key-0123456789',
    },
  });
  http = httpClient(server.url);
});
afterAll(async () => {
  await server.close();
  await openai.close();
  await anthropic.close();
});

/** The events of a stream by name, in order, up to (not including) the first text. */
function eventsBeforeText(stream: OpenedChatStream) {
  const firstText = stream.events.findIndex((event) => event.event === 'text-delta');
  return stream.events.slice(0, firstText === -1 ? undefined : firstText);
}

describe('the model a message asks for', () => {
  it('writes the reply in an existing session, which moves to it (said by session-update before the text)', async () => {
    const { token } = await http.createUser();
    const session = await http.createSession(token, { model: 'fake-gpt' });
    openai.enqueue(fakeScenario.reply('from gpt'));
    await http.post('/api/chat', { token, body: { sessionId: session.id, content: 'first' } });

    const claudeCalls = anthropic.requests.length;
    const gptCalls = openai.requests.length;
    anthropic.enqueue(fakeScenario.reply('from claude'));
    const stream = await openChatStream(server.url, token, { sessionId: session.id, content: 'second', model: 'fake-claude' });
    await stream.ended;
    expect(anthropic.requests.length - claudeCalls).toBe(1);
    expect(openai.requests.length - gptCalls).toBe(0);
    expect((anthropic.requests.at(-1)!.body as { model: string }).model).toBe('claude-upstream');
    expect(streamedText(stream)).toBe('from claude');
    expect(stream.events[0]!.data.assistantMessage.model).toBe('fake-claude');
    expect(eventsBeforeText(stream).find((event) => event.event === 'session-update')?.data.session).toMatchObject({ model: 'fake-claude', messageCount: 4 });
    expect(stream.events.at(-1)!.data.message).toMatchObject({ model: 'fake-claude', status: 'complete' });

    expect((await http.get(`/api/sessions/${session.id}`, { token })).body.session.model).toBe('fake-claude');
    const stored = (await http.get(`/api/sessions/${session.id}/messages`, { token })).body.messages;
    expect(stored.map((message: { model: string | null }) => message.model)).toEqual([null, 'fake-gpt', null, 'fake-claude']);
    // The next message without a model goes to the session's model, now Claude.
    anthropic.enqueue(fakeScenario.reply('claude again'));
    const next = await http.post('/api/chat', { token, body: { sessionId: session.id, content: 'third' } });
    expect(next.body.assistantMessage).toMatchObject({ model: 'fake-claude', content: 'claude again' });
  });

  it('writes a Retry with the model picked now; the session moves to it, said by session-update before the text', async () => {
    const { token } = await http.createUser();
    const session = await http.createSession(token, { model: 'fake-gpt' });
    openai.enqueue(fakeScenario.httpError(401));
    const failed = await http.post('/api/chat', { token, body: { sessionId: session.id, content: 'try me', clientMessageId: 'retry-model-1' } });
    expect(failed.status).toBe(502);

    const failedReply = (await http.get(`/api/sessions/${session.id}/messages`, { token })).body.messages[1];
    expect(failedReply).toMatchObject({ model: 'fake-gpt', status: 'error' });

    const claudeCalls = anthropic.requests.length;
    anthropic.enqueue(fakeScenario.reply('claude took over'));
    const retry = await openChatStream(server.url, token, { sessionId: session.id, content: 'try me', clientMessageId: 'retry-model-1', model: 'fake-claude' });
    await retry.ended;
    expect(anthropic.requests.length - claudeCalls).toBe(1);
    expect(retry.events[0]!.data.assistantMessage).toMatchObject({ id: failedReply.id, model: 'fake-claude', status: 'streaming' });
    expect(eventsBeforeText(retry).find((event) => event.event === 'session-update')?.data.session).toMatchObject({ model: 'fake-claude', messageCount: 2 });
    expect(retry.events.at(-1)!.data.message).toMatchObject({ model: 'fake-claude', status: 'complete', content: 'claude took over' });
    const stored = (await http.get(`/api/sessions/${session.id}/messages`, { token })).body.messages;
    expect(stored).toHaveLength(2);
    expect(stored[1]).toMatchObject({ model: 'fake-claude', status: 'complete' });
    expect((await http.get(`/api/sessions/${session.id}`, { token })).body.session.model).toBe('fake-claude');
  });
});

describe("a session whose model is no longer offered (another process's configuration, or a model removed)", () => {
  it('is answered by the default model, and the reply and the session name the model that wrote it', async () => {
    // A process that no longer offers Claude, on the same database.
    const trimmed = await startTestServer({
      databaseUri: server.databaseUri,
      env: { AI_CHAT_MODELS: JSON.stringify([{ ...GPT, baseURL: openai.baseURL, default: true }]) },
    });
    const { token } = await http.createUser();
    const session = await http.createSession(token, { model: 'fake-claude' });
    const gptCalls = openai.requests.length;
    openai.enqueue(fakeScenario.reply('gpt stood in'));
    const stream = await openChatStream(trimmed.url, token, { sessionId: session.id, content: 'anyone?' });
    await stream.ended;
    expect(openai.requests.length - gptCalls).toBe(1);
    expect(stream.events[0]!.data.assistantMessage.model).toBe('fake-gpt');
    expect(eventsBeforeText(stream).find((event) => event.event === 'session-update')?.data.session).toMatchObject({ model: 'fake-gpt' });
    expect(stream.events.at(-1)!.data.message).toMatchObject({ model: 'fake-gpt', content: 'gpt stood in' });
    const stored = (await http.get(`/api/sessions/${session.id}/messages`, { token })).body.messages;
    expect(stored[1]).toMatchObject({ model: 'fake-gpt', status: 'complete' });
    await trimmed.close();
  });
});
