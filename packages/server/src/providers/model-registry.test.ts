import { afterEach, describe, expect, it } from 'vitest';
import { collectStream } from '../testing/collect-stream.js';
import { requestMessages, startFakeOpenAI, type FakeVendorServer } from '@ai-chat/testkit';
import { PromptPolicy } from '../services/prompt-policy.js';
import { ConfigError } from './config-error.js';
import { createModelRegistry } from './model-registry.js';
import { loadModelsConfig } from './models-config.js';

let fake: FakeVendorServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('createModelRegistry', () => {
  it('with nothing configured: lists the demo as the default and streams from it', async () => {
    const registry = createModelRegistry(loadModelsConfig({ AI_CHAT_DEMO_DELAY_MS: '0' }));
    expect(registry.list()).toEqual([{ id: 'demo', label: 'Demo (offline)', provider: 'demo', default: true }]);
    expect(registry.defaultModel.id).toBe('demo');
    expect(registry.titleModel).toBeUndefined();

    const reply = await collectStream(registry.defaultModel.stream({ messages: [{ role: 'user', content: 'Hi' }], signal: new AbortController().signal }));
    expect(reply.text).toContain('OPENAI_API_KEY');
  });

  it('lists configured models in the GET /api/models shape, exactly one default', () => {
    const registry = createModelRegistry(
      loadModelsConfig({
        OPENAI_API_KEY: 'sk-test',
        OPENAI_MODELS: 'gpt-4o-mini,gpt-4o',
        AI_CHAT_MODELS: JSON.stringify([{ id: 'llama', label: 'Llama (local)', provider: 'openai-compatible', baseURL: 'http://127.0.0.1:11434/v1', default: true }]),
        AI_CHAT_TITLE_MODEL: 'gpt-4o-mini',
        AI_CHAT_HISTORY_BUDGET: '5000',
      }),
    );
    expect(registry.list()).toEqual([
      { id: 'llama', label: 'Llama (local)', provider: 'openai-compatible', default: true },
      { id: 'gpt-4o-mini', label: 'OpenAI gpt-4o-mini', provider: 'openai', default: false },
      { id: 'gpt-4o', label: 'OpenAI gpt-4o', provider: 'openai', default: false },
      { id: 'demo', label: 'Demo (offline)', provider: 'demo', default: false },
    ]);
    expect(registry.defaultModel.id).toBe('llama');
    expect(registry.defaultModel.isDefault).toBe(true);
    expect(registry.titleModel?.id).toBe('gpt-4o-mini');
    expect(registry.get('gpt-4o')?.provider).toBe('openai');
    expect(registry.get('nope')).toBeUndefined();
    expect(registry.historyBudget).toBe(5000);
  });

  it("sends a model's own system prompt, and the deployment's to every other model (through the prompt policy)", async () => {
    fake = await startFakeOpenAI();
    const registry = createModelRegistry(
      loadModelsConfig({
        AI_CHAT_SYSTEM_PROMPT: 'Deployment prompt.',
        AI_CHAT_MODELS: JSON.stringify([
          { id: 'own', provider: 'openai-compatible', baseURL: fake.baseURL, systemPrompt: 'Own prompt.' },
          { id: 'plain', provider: 'openai-compatible', baseURL: fake.baseURL },
        ]),
      }),
    );
    expect(registry.systemPrompt).toBe('Deployment prompt.');
    expect(registry.get('own')?.systemPrompt).toBe('Own prompt.');
    expect(registry.get('plain')?.systemPrompt).toBeUndefined();

    const policy = new PromptPolicy(registry);
    for (const id of ['own', 'plain']) {
      const model = registry.get(id)!;
      await collectStream(model.stream({ ...policy.forReply(model, [{ role: 'user', content: 'Hi' }]), signal: new AbortController().signal }));
    }
    expect(fake.requests.map((request) => requestMessages(request)[0])).toEqual([
      { role: 'system', content: 'Own prompt.' },
      { role: 'system', content: 'Deployment prompt.' },
    ]);
  });

  it('uses the fetch it is given for every upstream call', async () => {
    fake = await startFakeOpenAI();
    const seen: string[] = [];
    const countingFetch: typeof fetch = (input, init) => {
      seen.push(String(input instanceof Request ? input.url : input));
      return fetch(input, init);
    };
    const registry = createModelRegistry(loadModelsConfig({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL }), { fetch: countingFetch });
    const reply = await collectStream(registry.defaultModel.stream({ messages: [{ role: 'user', content: 'Hi' }], signal: new AbortController().signal }));
    expect(reply.text).toBe('Hello from the fake OpenAI.');
    expect(seen).toEqual([`${fake.baseURL}/chat/completions`]);
  });

  it('refuses a config whose default is not one of its models', () => {
    const config = loadModelsConfig({});
    expect(() => createModelRegistry({ ...config, defaultModel: 'ghost' })).toThrow(ConfigError);
  });
});
