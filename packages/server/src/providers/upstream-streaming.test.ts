import { afterEach, describe, expect, it } from 'vitest';
import { collectStream } from '../testing/collect-stream.js';
import { fakeScenario, requestMessages, startFakeAnthropic, startFakeOpenAI, type FakeVendorServer } from '@ai-chat/testkit';
import type { ChatModel, ChatTurn } from './chat-model.js';
import { createModelRegistry } from './model-registry.js';
import { PromptPolicy } from '../services/prompt-policy.js';
import { loadModelsConfig } from './models-config.js';

const OPENAI_KEY = 'sk-test-openai-0123456789abcdef';
const ANTHROPIC_KEY = 'sk-ant-test-0123456789abcdef';
const servers: FakeVendorServer[] = [];

async function track(server: Promise<FakeVendorServer>) {
  servers.push(await server);
  return servers.at(-1)!;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A configured model with the prompt policy the chat service would use for it. */
interface ConfiguredModel {
  model: ChatModel;
  policy: PromptPolicy;
}

function modelFrom(env: Record<string, string>, id: string): ConfiguredModel {
  const registry = createModelRegistry(loadModelsConfig({ AI_CHAT_DISABLE_DEMO: 'true', ...env }));
  const model = registry.get(id);
  if (!model) throw new Error(`no model ${id}`);
  return { model, policy: new PromptPolicy(registry) };
}

const question: ChatTurn[] = [{ role: 'user', content: 'Say hello' }];
const ask = ({ model, policy }: ConfiguredModel, messages = question) =>
  collectStream(model.stream({ ...policy.forReply(model, messages), signal: new AbortController().signal }));

describe('OpenAI (chat completions)', () => {
  it('streams the reply text and the usage chunk', async () => {
    const fake = await track(startFakeOpenAI({ scenarios: [fakeScenario.reply('Hello there, visitor!', { usage: { inputTokens: 12, outputTokens: 5 } })] }));
    const model = modelFrom({ OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: fake.baseURL }, 'gpt-4o-mini');

    const reply = await ask(model);

    expect(reply.error).toBeUndefined();
    expect(reply.text).toBe('Hello there, visitor!');
    expect(reply.deltas.length).toBeGreaterThan(1);
    expect(reply.usage).toEqual({ inputTokens: 12, outputTokens: 5 });
  });

  it('sends the model name, the key as a bearer token, streaming with usage, and the system prompt first', async () => {
    const fake = await track(startFakeOpenAI({ apiKey: OPENAI_KEY }));
    const model = modelFrom({ OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: fake.baseURL, OPENAI_MODELS: 'gpt-4o', AI_CHAT_SYSTEM_PROMPT: 'You are terse.' }, 'gpt-4o');
    const history: ChatTurn[] = [
      { role: 'user', content: 'First question' },
      { role: 'assistant', content: 'First answer' },
      { role: 'user', content: 'Second question' },
    ];

    const reply = await ask(model, history);

    expect(reply.text).toBe('Hello from the fake OpenAI.');
    const [request] = fake.requests;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(request?.body).toMatchObject({ model: 'gpt-4o', stream: true, stream_options: { include_usage: true } });
    expect(requestMessages(request!)).toEqual([{ role: 'system', content: 'You are terse.' }, ...history]);
  });
});

describe('Anthropic (messages)', () => {
  it('streams the reply text with usage from message_start and message_delta', async () => {
    const fake = await track(startFakeAnthropic({ scenarios: [fakeScenario.reply('Bonjour, how can I help?', { usage: { inputTokens: 20, outputTokens: 7 } })] }));
    const model = modelFrom({ ANTHROPIC_API_KEY: ANTHROPIC_KEY, ANTHROPIC_BASE_URL: fake.baseURL }, 'claude-sonnet-4-5');

    const reply = await ask(model);

    expect(reply.error).toBeUndefined();
    expect(reply.text).toBe('Bonjour, how can I help?');
    expect(reply.usage).toEqual({ inputTokens: 20, outputTokens: 7 });
  });

  it('sends the key in x-api-key, the upstream model name, and the system prompt apart from the messages', async () => {
    const fake = await track(startFakeAnthropic({ apiKey: ANTHROPIC_KEY }));
    const models = JSON.stringify([{ id: 'claude', label: 'Claude', provider: 'anthropic', model: 'claude-haiku-4-5', baseURL: fake.baseURL, systemPrompt: 'Answer in French.' }]);
    const model = modelFrom({ ANTHROPIC_API_KEY: ANTHROPIC_KEY, AI_CHAT_MODELS: models }, 'claude');

    const reply = await ask(model);

    expect(reply.text).toBe('Hello from the fake Anthropic.');
    const [request] = fake.requests;
    expect(request?.path).toBe('/v1/messages');
    expect(request?.headers['x-api-key']).toBe(ANTHROPIC_KEY);
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.body).toMatchObject({ model: 'claude-haiku-4-5', stream: true });
    expect(requestMessages(request!)).toEqual([{ role: 'system', content: 'Answer in French.' }, ...question]);
  });
});

describe('OpenAI-compatible (Ollama, vLLM, …)', () => {
  it('streams from a custom base URL without any key and asks for usage', async () => {
    const fake = await track(startFakeOpenAI({ scenarios: [fakeScenario.reply('Local llama says hi.', { usage: { inputTokens: 3, outputTokens: 4 } })] }));
    const models = JSON.stringify([{ id: 'llama', label: 'Llama (Ollama)', provider: 'openai-compatible', model: 'llama3.2', baseURL: fake.baseURL }]);
    const model = modelFrom({ AI_CHAT_MODELS: models }, 'llama');

    const reply = await ask(model);

    expect(reply.error).toBeUndefined();
    expect(reply.text).toBe('Local llama says hi.');
    expect(reply.usage).toEqual({ inputTokens: 3, outputTokens: 4 });
    const [request] = fake.requests;
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.body).toMatchObject({ model: 'llama3.2', stream: true, stream_options: { include_usage: true } });
  });
});

describe('what goes upstream', () => {
  it('sends only the newest history that fits the budget, never half a message, plus the new message', async () => {
    const fake = await track(startFakeOpenAI());
    const model = modelFrom({ OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: fake.baseURL, AI_CHAT_HISTORY_BUDGET: '55', AI_CHAT_SYSTEM_PROMPT: 'Be kind.' }, 'gpt-4o-mini');
    const history: ChatTurn[] = [
      { role: 'user', content: 'An old question that is long enough' },
      { role: 'assistant', content: 'Old answer, 20 chars' }, // 20 + 19 + 15 + 21 > 55: from here on, too old
      { role: 'user', content: 'Recent one, 19 char' },
      { role: 'assistant', content: 'Reply in 15 ch.' },
      { role: 'user', content: 'New message, 21 chars' },
    ];

    await ask(model, history);

    expect(requestMessages(fake.requests[0]!)).toEqual([{ role: 'system', content: 'Be kind.' }, ...history.slice(2)]);
  });
});
