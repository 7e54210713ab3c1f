import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScenario, type FakeVendorServer, startFakeAnthropic, startFakeOpenAI, startTestServer, type TestServer } from '@ai-chat/testkit';
import { ChatClient } from './chat-client.js';
import { ProviderError } from './errors.js';
import { createMemoryStorage } from './storage.js';

/** Replies from real vendor wire formats (fake OpenAI and Anthropic servers) reach SDK users intact. */
let openai: FakeVendorServer;
let anthropic: FakeVendorServer;
let server: TestServer;
beforeAll(async () => {
  [openai, anthropic] = await Promise.all([startFakeOpenAI(), startFakeAnthropic()]);
  server = await startTestServer({
    env: {
      AI_CHAT_MODELS: JSON.stringify([
        { id: 'fake-gpt', label: 'Fake GPT', provider: 'openai', model: 'gpt-test', baseURL: openai.baseURL, apiKeyEnv: 'FAKE_KEY' },
        { id: 'fake-claude', label: 'Fake Claude', provider: 'anthropic', model: 'claude-test', baseURL: anthropic.baseURL, apiKeyEnv: 'FAKE_KEY' },
      ]),
      FAKE_KEY: 'sk-test-key',
      AI_CHAT_DEFAULT_MODEL: 'demo',
    },
  });
});
afterAll(async () => {
  await server?.close();
  await Promise.all([openai?.close(), anthropic?.close()]);
});

const newClient = () => new ChatClient({ baseUrl: server.url, storage: createMemoryStorage() });
const REPLY = 'Olá! Here is **bold**, a list:\n- one\n- two 🌍\n';

describe.each([
  ['OpenAI', 'fake-gpt', () => openai],
  ['Anthropic', 'fake-claude', () => anthropic],
])('streaming from a %s-format vendor', (_name, model, vendor) => {
  it('yields the vendor text as deltas and stores it', async () => {
    vendor().enqueue(fakeScenario.reply(REPLY, { usage: { inputTokens: 12, outputTokens: 9 } }));
    const client = newClient();
    const session = await client.sessions.create({ model });
    const stream = client.chat.stream({ sessionId: session.id, content: 'Say hi' });
    let deltas = '';
    for await (const event of stream) if (event.type === 'text-delta') deltas += event.delta;
    expect(deltas).toBe(REPLY);
    const message = await stream.finalMessage();
    expect(message).toMatchObject({ status: 'complete', model, content: REPLY });
    const { messages } = await client.messages.list(session.id);
    expect(messages[1]?.content).toBe(REPLY);
  });

  it('ends the message as error, with the text so far, when the vendor fails mid-stream', async () => {
    vendor().enqueue(fakeScenario.failMidStream(REPLY, 2, 'destroy'));
    const client = newClient();
    const session = await client.sessions.create({ model });
    const message = await client.chat.stream({ sessionId: session.id, content: 'Say hi' }).finalMessage();
    expect(message.status).toBe('error');
    expect(message.error?.type).toBeTruthy();
    expect(REPLY.startsWith(message.content)).toBe(true);
  });
});

it('throws ProviderError from chat.send() when the vendor refuses, without retrying from the SDK', async () => {
  const failure = fakeScenario.httpError(500, { message: 'upstream exploded' });
  openai.enqueue(failure, failure, failure);
  const before = openai.requests.length;
  const client = newClient();
  const session = await client.sessions.create({ model: 'fake-gpt' });
  const error = await client.chat.send({ sessionId: session.id, content: 'Say hi' }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ProviderError);
  expect((error as ProviderError).requestId).toBeTruthy();
  // The server tries the vendor at most twice (one retry before the first token); the SDK adds none.
  expect(openai.requests.length - before).toBeLessThanOrEqual(2);
  const { messages } = await client.messages.list(session.id);
  expect(messages.map((message) => message.status)).toEqual(['complete', 'error']);
});
