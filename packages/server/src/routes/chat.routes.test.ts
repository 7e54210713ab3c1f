import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChatStream, streamedText } from '../testing/chat-stream-client.js';
import { fakeScenario, type FakeVendorServer, startFakeAnthropic, startFakeOpenAI, startTestServer, type TestServer } from '@ai-chat/testkit';
import { errorShape, httpClient } from '../testing/http-client.js';

const SECRET_KEY = 'sk-test-DO-NOT-LEAK-1234567890abcdef';
let openai: FakeVendorServer;
let anthropic: FakeVendorServer;
let server: TestServer;
let http: ReturnType<typeof httpClient>;

beforeAll(async () => {
  openai = await startFakeOpenAI();
  anthropic = await startFakeAnthropic();
  server = await startTestServer({
    env: {
      AI_CHAT_MODELS: JSON.stringify([
        { id: 'fake-gpt', label: 'Fake GPT', provider: 'openai', model: 'gpt-4o-mini', baseURL: openai.baseURL, apiKeyEnv: 'FAKE_OPENAI_KEY' },
        { id: 'fake-claude', label: 'Fake Claude', provider: 'anthropic', model: 'claude-test', baseURL: anthropic.baseURL, apiKeyEnv: 'FAKE_ANTHROPIC_KEY' },
        { id: 'fake-local', label: 'Fake Ollama', provider: 'openai-compatible', model: 'llama3', baseURL: openai.baseURL },
      ]),
      FAKE_OPENAI_KEY: SECRET_KEY,
      FAKE_ANTHROPIC_KEY: SECRET_KEY,
      AI_CHAT_DEFAULT_MODEL: 'demo',
      AI_CHAT_SYSTEM_PROMPT: 'You are the test assistant.',
      AI_CHAT_FIRST_TOKEN_TIMEOUT_MS: '1500',
      AI_CHAT_IDLE_TIMEOUT_MS: '700',
    },
  });
  http = httpClient(server.url);
});
afterAll(async () => {
  await server.close();
  await openai.close();
  await anthropic.close();
});

async function visitorWithSession(model?: string) {
  const { token } = await http.createUser();
  const session = await http.createSession(token, model ? { model } : {});
  return { token, session };
}

async function storedMessages(token: string, sessionId: string) {
  return (await http.get(`/api/sessions/${sessionId}/messages`, { token })).body.messages as Array<Record<string, any>>;
}

describe('POST /api/chat with the demo model', () => {
  it('streams message-start, deltas, session updates and message-end, and stores both messages', async () => {
    const { token, session } = await visitorWithSession();
    const stream = await openChatStream(server.url, token, { sessionId: session.id, content: 'What can you do for me today, please?' });
    await stream.ended;
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    expect(stream.headers.get('cache-control')).toContain('no-cache');
    expect(stream.headers.get('x-accel-buffering')).toBe('no');
    expect(stream.headers.get('content-encoding')).toBeNull();

    const names = stream.events.map((event) => event.event);
    expect(names[0]).toBe('message-start');
    expect(names[1]).toBe('session-update');
    expect(names.at(-1)).toBe('message-end');
    expect(names.filter((name) => name === 'text-delta').length).toBeGreaterThan(5);
    const start = stream.events[0]!.data;
    expect(start.userMessage).toMatchObject({ role: 'user', content: 'What can you do for me today, please?', status: 'complete' });
    expect(start.assistantMessage).toMatchObject({ role: 'assistant', status: 'streaming', model: 'demo', content: '' });
    expect(stream.events[1]!.data.session).toMatchObject({ title: 'What can you do for me today, please?', messageCount: 2 });

    const end = stream.events.at(-1)!.data;
    const text = streamedText(stream);
    expect(end.message).toMatchObject({ id: start.assistantMessage.id, status: 'complete', content: text });
    expect(text).toMatch(/```/);
    expect(text).toContain('OPENAI_API_KEY');

    const stored = await storedMessages(token, session.id);
    expect(stored.map((message) => [message.role, message.status])).toEqual([['user', 'complete'], ['assistant', 'complete']]);
    expect(stored[1]!.content).toBe(text);
    const summary = (await http.get(`/api/sessions/${session.id}`, { token })).body.session;
    expect(summary).toMatchObject({ messageCount: 2, title: 'What can you do for me today, please?', lastMessage: { role: 'assistant' } });
    expect(summary.lastMessage.preview.length).toBeLessThanOrEqual(160);
  });

  it('answers Accept: application/json with both messages once the reply is written', async () => {
    const { token, session } = await visitorWithSession();
    const response = await http.post('/api/chat', { token, body: { sessionId: session.id, content: 'hello' } });
    expect(response.status).toBe(200);
    expect(response.body.userMessage).toMatchObject({ content: 'hello', role: 'user' });
    expect(response.body.assistantMessage).toMatchObject({ role: 'assistant', status: 'complete', model: 'demo' });
    expect(response.body.assistantMessage.content.length).toBeGreaterThan(50);
  });

  it('titles a session from its first message, cut at a word boundary', async () => {
    const { token, session } = await visitorWithSession();
    const long = 'Could you please explain how the tides work and why there are two of them every single day?';
    await http.post('/api/chat', { token, body: { sessionId: session.id, content: long } });
    const title = (await http.get(`/api/sessions/${session.id}`, { token })).body.session.title as string;
    expect(title.length).toBeLessThanOrEqual(60);
    expect(long.startsWith(title.replace(/…$/, ''))).toBe(true);
    expect(title.endsWith('…')).toBe(true);
    await http.post('/api/chat', { token, body: { sessionId: session.id, content: 'A second message' } });
    expect((await http.get(`/api/sessions/${session.id}`, { token })).body.session.title).toBe(title);
  });

  it('validates the request before storing anything', async () => {
    const { token, session } = await visitorWithSession();
    const cases = [
      { sessionId: session.id, content: '   ' },
      { sessionId: session.id },
      { sessionId: 'nope', content: 'hi' },
      { sessionId: session.id, content: 'hi', extra: true },
      { sessionId: session.id, content: 'hi', model: 'no-such-model' },
      { sessionId: session.id, content: 'x'.repeat(32_001) },
    ];
    for (const body of cases) {
      const response = await http.post('/api/chat', { token, body });
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(response.body).toMatchObject(errorShape('invalid_request'));
    }
    expect(await storedMessages(token, session.id)).toEqual([]);
  });
});

describe('idempotency and concurrency', () => {
  it('answers a retried clientMessageId after the reply with the stored reply, storing nothing twice', async () => {
    const { token, session } = await visitorWithSession();
    const first = await openChatStream(server.url, token, { sessionId: session.id, content: 'once', clientMessageId: 'retry-1' });
    await first.ended;
    const retry = await openChatStream(server.url, token, { sessionId: session.id, content: 'once', clientMessageId: 'retry-1' });
    await retry.ended;
    expect(retry.events.map((event) => event.event)).toEqual(['message-start', 'text-delta', 'message-end']);
    expect(retry.events[0]!.data.userMessage.id).toBe(first.events[0]!.data.userMessage.id);
    expect(retry.events[2]!.data.message).toEqual(first.events.at(-1)!.data.message);
    expect(streamedText(retry)).toBe(streamedText(first));
    expect(await storedMessages(token, session.id)).toHaveLength(2);
    const json = await http.post('/api/chat', { token, body: { sessionId: session.id, content: 'once', clientMessageId: 'retry-1' } });
    expect(json.body.assistantMessage.id).toBe(first.events[0]!.data.assistantMessage.id);
    expect((await http.get(`/api/sessions/${session.id}`, { token })).body.session.messageCount).toBe(2);
  });

  it('joins a reply still being written when the same clientMessageId comes again', async () => {
    const { token, session } = await visitorWithSession('fake-gpt');
    const requestsBefore = openai.requests.length;
    openai.enqueue(fakeScenario.reply('one two three four five six seven eight', { chunkDelayMs: 60 }));
    const first = await openChatStream(server.url, token, { sessionId: session.id, content: 'slow', clientMessageId: 'join-1' });
    await first.waitFor('text-delta');
    const second = await openChatStream(server.url, token, { sessionId: session.id, content: 'slow', clientMessageId: 'join-1' });
    await Promise.all([first.ended, second.ended]);
    expect(second.events[0]!.data.assistantMessage.id).toBe(first.events[0]!.data.assistantMessage.id);
    expect(streamedText(second)).toBe('one two three four five six seven eight');
    expect(streamedText(first)).toBe('one two three four five six seven eight');
    expect(openai.requests.length - requestsBefore).toBe(1);
    expect(await storedMessages(token, session.id)).toHaveLength(2);
  });

  it('answers the same clientMessageId sent twice at once with the one reply, not 409', async () => {
    const { token, session } = await visitorWithSession('fake-gpt');
    const requestsBefore = openai.requests.length;
    openai.enqueue(fakeScenario.reply('only once', { chunkDelayMs: 20 }));
    const body = { sessionId: session.id, content: 'twice at once', clientMessageId: 'at-once-1' };
    const [first, second] = await Promise.all([http.post('/api/chat', { token, body }), http.post('/api/chat', { token, body })]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body.assistantMessage.id).toBe(first.body.assistantMessage.id);
    expect(second.body.assistantMessage.content).toBe('only once');
    expect(openai.requests.length - requestsBefore).toBe(1);
    expect(await storedMessages(token, session.id)).toHaveLength(2);
  });

  it('refuses a second message while a reply is being written (409), then accepts one', async () => {
    const { token, session } = await visitorWithSession('fake-gpt');
    // The upstream sends one word, then holds the reply open until it is stopped: no timing decides the outcome.
    openai.enqueue(fakeScenario.hangAfterFirstToken('held reply here'));
    const first = await openChatStream(server.url, token, { sessionId: session.id, content: 'first' });
    await first.waitFor('text-delta');
    const second = await http.post('/api/chat', { token, body: { sessionId: session.id, content: 'second' } });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject(errorShape('conflict'));
    expect((await http.post(`/api/sessions/${session.id}/stop`, { token })).status).toBe(202);
    await first.ended;
    expect(await storedMessages(token, session.id)).toHaveLength(2);
    const third = await http.post('/api/chat', { token, body: { sessionId: session.id, content: 'third' } });
    expect(third.status).toBe(200);
  });

  it('finishes and stores a reply whose visitor disconnected', async () => {
    const { token, session } = await visitorWithSession('fake-gpt');
    openai.enqueue(fakeScenario.reply('alpha beta gamma delta epsilon zeta', { chunkDelayMs: 50 }));
    const stream = await openChatStream(server.url, token, { sessionId: session.id, content: 'bye' });
    await stream.waitFor('text-delta');
    stream.disconnect();
    const reply = await waitFor(async () => {
      const messages = await storedMessages(token, session.id);
      return messages[1]?.status === 'complete' ? messages[1] : undefined;
    });
    expect(reply.content).toBe('alpha beta gamma delta epsilon zeta');
  });
});

describe('a send whose second write failed', () => {
  it('is completed by a retry with the same clientMessageId, instead of answering 409 forever', async () => {
    const own = await startTestServer({ env: { AI_CHAT_DEFAULT_MODEL: 'demo' } });
    const client = httpClient(own.url);
    const { token } = await client.createUser();
    const session = await client.createSession(token);
    expect((await client.post('/api/chat', { token, body: { sessionId: session.id, content: 'first', clientMessageId: 'half-0' } })).status).toBe(200);
    // A unique index the reply placeholder of a second exchange violates: the database refuses the second document
    // of the send for real, after storing the first (MongoDB inserts in order and keeps what went in).
    const messages = own.database.models.Message.collection;
    await messages.createIndex({ sessionId: 1 }, { unique: true, name: 'one_reply_per_session', partialFilterExpression: { role: 'assistant' } });
    const failed = await client.post('/api/chat', { token, body: { sessionId: session.id, content: 'second', clientMessageId: 'half-1' } });
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject(errorShape('internal'));
    await messages.dropIndex('one_reply_per_session');

    const retried = await client.post('/api/chat', { token, body: { sessionId: session.id, content: 'second', clientMessageId: 'half-1' } });
    expect(retried.status).toBe(200);
    expect(retried.body.userMessage).toMatchObject({ content: 'second', clientMessageId: 'half-1' });
    expect(retried.body.assistantMessage).toMatchObject({ role: 'assistant', status: 'complete' });
    const stored = await client.get(`/api/sessions/${session.id}/messages`, { token });
    expect(stored.body.messages.map((message: { role: string; content: string }) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(stored.body.messages[2]).toMatchObject({ content: 'second', clientMessageId: 'half-1' });
    expect(stored.body.messages[3]).toMatchObject({ id: retried.body.assistantMessage.id, content: retried.body.assistantMessage.content });
    expect((await client.get(`/api/sessions/${session.id}`, { token })).body.session).toMatchObject({ messageCount: 4, lastMessage: { role: 'assistant' } });
    // Once complete, the same id is answered from what is stored.
    const again = await client.post('/api/chat', { token, body: { sessionId: session.id, content: 'second', clientMessageId: 'half-1' } });
    expect(again.body.assistantMessage.id).toBe(retried.body.assistantMessage.id);
    await own.close();
  });
});

describe('retry of a failed or stopped reply', () => {
  it('writes the reply anew for the same clientMessageId, keeping one user message and one reply', async () => {
    const { token, session } = await visitorWithSession('fake-gpt');
    openai.enqueue(fakeScenario.failMidStream('half an answer then', 2));
    const failed = await http.post('/api/chat', { token, body: { sessionId: session.id, content: 'try me', clientMessageId: 'retry-error-1' } });
    expect(failed.status).toBe(502);
    openai.enqueue(fakeScenario.reply('A complete answer.'));
    // The visitor may pick another model for the retry: the reply and the session take it.
    const retried = await openChatStream(server.url, token, { sessionId: session.id, content: 'try me', clientMessageId: 'retry-error-1', model: 'fake-local' });
    await retried.ended;
    expect(streamedText(retried)).toBe('A complete answer.');
    const end = retried.events.at(-1)!.data.message;
    expect(end).toMatchObject({ status: 'complete', content: 'A complete answer.', model: 'fake-local' });
    expect(end.error).toBeUndefined();
    const stored = await storedMessages(token, session.id);
    expect(stored.map((message) => [message.role, message.status, message.content])).toEqual([
      ['user', 'complete', 'try me'],
      ['assistant', 'complete', 'A complete answer.'],
    ]);
    expect(stored[1]!.id).toBe(retried.events[0]!.data.assistantMessage.id);
    const summary = (await http.get(`/api/sessions/${session.id}`, { token })).body.session;
    expect(summary).toMatchObject({ model: 'fake-local', messageCount: 2, lastMessage: { role: 'assistant', preview: 'A complete answer.' } });
    // Once complete, the same id is answered from what is stored, not written a third time.
    const requestsBefore = openai.requests.length;
    const again = await http.post('/api/chat', { token, body: { sessionId: session.id, content: 'try me', clientMessageId: 'retry-error-1' } });
    expect(again.body.assistantMessage.content).toBe('A complete answer.');
    expect(openai.requests.length).toBe(requestsBefore);
  });

  it('answers an older failed reply as stored once the conversation has moved on', async () => {
    const { token, session } = await visitorWithSession('fake-gpt');
    openai.enqueue(fakeScenario.httpError(401));
    await http.post('/api/chat', { token, body: { sessionId: session.id, content: 'first', clientMessageId: 'old-1' } });
    openai.enqueue(fakeScenario.reply('second answer'));
    await http.post('/api/chat', { token, body: { sessionId: session.id, content: 'second', clientMessageId: 'old-2' } });
    const requestsBefore = openai.requests.length;
    const stream = await openChatStream(server.url, token, { sessionId: session.id, content: 'first', clientMessageId: 'old-1' });
    await stream.ended;
    expect(stream.events.at(-1)!.data.message).toMatchObject({ status: 'error', error: { type: 'provider_auth' } });
    expect(openai.requests.length).toBe(requestsBefore);
    expect(await storedMessages(token, session.id)).toHaveLength(4);
  });
});

describe('stop', () => {
  it('stops a reply from a second server process on the same database', async () => {
    const twin = await startTestServer({ databaseUri: server.databaseUri, env: { AI_CHAT_DEMO_DELAY_MS: '2' } });
    const { token, session } = await visitorWithSession('fake-gpt');
    openai.enqueue(fakeScenario.reply(Array.from({ length: 80 }, (_, index) => `word${index}`).join(' '), { chunkDelayMs: 40 }));
    const stream = await openChatStream(server.url, token, { sessionId: session.id, content: 'long answer please' });
    await stream.waitFor('text-delta');
    const stopped = await httpClient(twin.url).post(`/api/sessions/${session.id}/stop`, { token });
    expect(stopped.status).toBe(202);
    const end = await stream.waitFor('message-end');
    expect(end.data.message.status).toBe('stopped');
    await stream.ended;
    const stored = await storedMessages(token, session.id);
    expect(stored[1]).toMatchObject({ status: 'stopped', content: streamedText(stream) });
    expect(stored[1]!.content.length).toBeGreaterThan(0);
    // The whole reply takes 80 × 40 ms: stopped, it ends before its last word whenever the stop arrived.
    expect(stored[1]!.content).not.toContain('word79');
    await twin.close();
  });
});

describe('providers', () => {
  it('streams through the Anthropic format with usage, sending the system prompt and history', async () => {
    const { token, session } = await visitorWithSession('fake-claude');
    anthropic.enqueue(fakeScenario.reply('Bonjour!', { usage: { inputTokens: 12, outputTokens: 3 } }));
    await http.post('/api/chat', { token, body: { sessionId: session.id, content: 'first question' } });
    anthropic.enqueue(fakeScenario.reply('Second answer', { usage: { inputTokens: 20, outputTokens: 2 } }));
    const stream = await openChatStream(server.url, token, { sessionId: session.id, content: 'second question' });
    await stream.ended;
    expect(streamedText(stream)).toBe('Second answer');
    expect(stream.events.at(-1)!.data).toMatchObject({ message: { status: 'complete', model: 'fake-claude' }, usage: { inputTokens: 20, outputTokens: 2 } });
    const request = anthropic.requests.at(-1)!;
    const body = request.body as { system?: unknown; messages: Array<{ role: string; content: unknown }>; model: string };
    expect(body.model).toBe('claude-test');
    expect(JSON.stringify(body.system)).toContain('You are the test assistant.');
    expect(body.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(JSON.stringify(body.messages)).toContain('Bonjour!');
    expect(request.headers['x-api-key']).toBe(SECRET_KEY);
  });

  it('ends the reply as error when the provider fails mid-stream, keeping what was written and the user message', async () => {
    const { token, session } = await visitorWithSession('fake-gpt');
    openai.enqueue(fakeScenario.failMidStream('partial words then boom', 2));
    const stream = await openChatStream(server.url, token, { sessionId: session.id, content: 'break please' });
    await stream.ended;
    const end = stream.events.at(-1)!;
    expect(end.event).toBe('message-end');
    expect(end.data.message.status).toBe('error');
    expect(end.data.message.error.type).toMatch(/^provider_/);
    const stored = await storedMessages(token, session.id);
    expect(stored[0]).toMatchObject({ role: 'user', content: 'break please', status: 'complete' });
    expect(stored[1]).toMatchObject({ status: 'error', content: streamedText(stream) });
    expect(stored[1]!.content).toBe('partial words ');
  });

  it('answers JSON mode with 502 provider_error on an upstream 401, and never leaks the key', async () => {
    const { token, session } = await visitorWithSession('fake-gpt');
    openai.enqueue(fakeScenario.httpError(401, { message: `Incorrect API key provided: ${SECRET_KEY}` }));
    const response = await http.post('/api/chat', { token, body: { sessionId: session.id, content: 'key?' } });
    expect(response.status).toBe(502);
    expect(response.body).toMatchObject(errorShape('provider_error'));
    expect(response.text).not.toContain(SECRET_KEY);
    const stored = await storedMessages(token, session.id);
    expect(stored[1]).toMatchObject({ status: 'error', error: { type: 'provider_auth' } });
    expect(JSON.stringify(stored)).not.toContain(SECRET_KEY);
    expect((await http.get('/api/models', { token })).text).not.toContain(SECRET_KEY);
    expect(server.logs.join('\n')).not.toContain(SECRET_KEY);
    expect(server.logs.join('\n')).toContain('provider_auth');
  });

  it('times out a provider that hangs after the first token', async () => {
    const { token, session } = await visitorWithSession('fake-local');
    openai.enqueue(fakeScenario.hangAfterFirstToken('stuck forever'));
    const stream = await openChatStream(server.url, token, { sessionId: session.id, content: 'hang' });
    await stream.ended;
    expect(stream.events.at(-1)!.data.message).toMatchObject({ status: 'error', error: { type: 'provider_timeout' }, content: 'stuck ' });
  });

  it('sends only the newest history that fits the budget, never half a message', async () => {
    const budgeted = await startTestServer({
      databaseUri: server.databaseUri,
      env: {
        AI_CHAT_MODELS: JSON.stringify([{ id: 'fake-gpt', provider: 'openai-compatible', model: 'm', baseURL: openai.baseURL }]),
        AI_CHAT_HISTORY_BUDGET: '50',
      },
    });
    const client = httpClient(budgeted.url);
    const { token } = await client.createUser();
    const session = await client.createSession(token, { model: 'fake-gpt' });
    for (const text of ['A'.repeat(30), 'B'.repeat(10), 'C'.repeat(10)]) {
      openai.enqueue(fakeScenario.reply(text.toLowerCase()));
      expect((await client.post('/api/chat', { token, body: { sessionId: session.id, content: text } })).status).toBe(200);
    }
    const body = openai.requests.at(-1)!.body as { messages: Array<{ role: string; content: string }> };
    const contents = body.messages.filter((message) => message.role !== 'system').map((message) => message.content);
    expect(contents).toEqual(['B'.repeat(10), 'b'.repeat(10), 'C'.repeat(10)]);
    await budgeted.close();
  });
});

async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
