import { afterEach, describe, expect, it } from 'vitest';
import { collectStream } from '../testing/collect-stream.js';
import { fakeScenario, startFakeAnthropic, startFakeOpenAI, type FakeVendorServer } from '@ai-chat/testkit';
import type { ChatModel } from './chat-model.js';
import { createModelRegistry } from './model-registry.js';
import { loadModelsConfig } from './models-config.js';
import { ProviderError } from './provider-error.js';

const OPENAI_KEY = 'sk-test-secret-openai-key-123456';
const ANTHROPIC_KEY = 'sk-ant-test-secret-key-abcdef';
const servers: FakeVendorServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

type Vendor = 'openai' | 'anthropic';

/** A fake vendor and our model in front of it, with small timeouts and a short retry pause. */
async function setUp(vendor: Vendor, timeouts: { firstTokenMs?: number; idleMs?: number } = {}) {
  const fake = await (vendor === 'openai' ? startFakeOpenAI() : startFakeAnthropic());
  servers.push(fake);
  const env = vendor === 'openai' ? { OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: fake.baseURL } : { ANTHROPIC_API_KEY: ANTHROPIC_KEY, ANTHROPIC_BASE_URL: fake.baseURL };
  const file = JSON.stringify({ timeouts: { firstTokenMs: 2_000, idleMs: 2_000, retryDelayMs: 10, ...timeouts } });
  const config = loadModelsConfig({ ...env, AI_CHAT_CONFIG: 'models.json', AI_CHAT_DISABLE_DEMO: 'true' }, () => file);
  const registry = createModelRegistry(config);
  return { fake, model: registry.defaultModel };
}

function ask(model: ChatModel, signal = new AbortController().signal) {
  return collectStream(model.stream({ messages: [{ role: 'user', content: 'Hello?' }], signal }));
}

function expectProviderError(error: unknown, type: ProviderError['type']): ProviderError {
  expect(error).toBeInstanceOf(ProviderError);
  expect((error as ProviderError).type).toBe(type);
  return error as ProviderError;
}

describe.each<Vendor>(['openai', 'anthropic'])('%s failures', (vendor) => {
  const key = vendor === 'openai' ? OPENAI_KEY : ANTHROPIC_KEY;

  it('401: provider_auth, not retried, and the key is in no part of the error', async () => {
    const { fake, model } = await setUp(vendor);
    // Vendors do echo (parts of) a wrong key back; this fake echoes all of it.
    fake.enqueue(fakeScenario.httpError(401, { message: `Incorrect API key provided: ${key}` }));

    const reply = await ask(model);

    const error = expectProviderError(reply.error, 'provider_auth');
    expect(error.status).toBe(401);
    expect(error.message).toBe('The AI provider rejected the API key (HTTP 401).');
    expect(fake.requests).toHaveLength(1);
    for (const text of [error.message, error.detail ?? '', String(error), JSON.stringify(error), error.stack ?? '']) {
      expect(text).not.toContain(key);
    }
    expect(error.detail).toContain('Incorrect API key provided');
  });

  it('429: retried once, then provider_rate_limited', async () => {
    const { fake, model } = await setUp(vendor);
    fake.enqueue(fakeScenario.httpError(429, { retryAfter: '0' }), fakeScenario.httpError(429, { retryAfter: '0' }));

    const reply = await ask(model);

    expect(expectProviderError(reply.error, 'provider_rate_limited').status).toBe(429);
    expect(fake.requests).toHaveLength(2);
  });

  it('500: retried once, then provider_unavailable', async () => {
    const { fake, model } = await setUp(vendor);
    fake.enqueue(fakeScenario.httpError(500), fakeScenario.httpError(500), fakeScenario.reply('never asked for'));

    const reply = await ask(model);

    expect(expectProviderError(reply.error, 'provider_unavailable').status).toBe(500);
    expect(fake.requests).toHaveLength(2);
    expect(reply.text).toBe('');
  });

  it('a 500 followed by a good answer: the visitor gets the reply', async () => {
    const { fake, model } = await setUp(vendor);
    fake.enqueue(fakeScenario.httpError(500), fakeScenario.reply('Second time lucky.'));

    const reply = await ask(model);

    expect(reply.error).toBeUndefined();
    expect(reply.text).toBe('Second time lucky.');
    expect(fake.requests).toHaveLength(2);
  });

  it('a connection that breaks mid-stream: a ProviderError after the first deltas, and no retry', async () => {
    const { fake, model } = await setUp(vendor);
    fake.enqueue(fakeScenario.failMidStream('one two three four five', 2), fakeScenario.reply('must not be asked'));

    const reply = await ask(model);

    expect(reply.text).toBe('one two ');
    expect(expectProviderError(reply.error, 'provider_unavailable').message).toBe('The connection to the AI provider broke off.');
    expect(reply.finished).toBe(false);
    expect(fake.requests).toHaveLength(1);
  });

  it("the vendor's error event after a 200 and some text: a ProviderError, no retry", async () => {
    const { fake, model } = await setUp(vendor);
    fake.enqueue(fakeScenario.failMidStream('alpha beta gamma', 1, 'error-event'), fakeScenario.reply('must not be asked'));

    const reply = await ask(model);

    expect(reply.text).toBe('alpha ');
    const error = expectProviderError(reply.error, 'provider_unavailable');
    expect(error.message).toMatch(/^The AI provider stopped the reply with an error \((overloaded_error|server_error)\)\.$/);
    expect(fake.requests).toHaveLength(1);
  });

  it('hangs after the first token: provider_timeout from the idle timeout, soon after it', async () => {
    const { fake, model } = await setUp(vendor, { idleMs: 300 });
    fake.enqueue(fakeScenario.hangAfterFirstToken('Hello and then silence'));
    const started = Date.now();

    const reply = await ask(model);

    expect(reply.text).toBe('Hello ');
    const error = expectProviderError(reply.error, 'provider_timeout');
    expect(error.message).toContain('stopped sending');
    // The fake never sends more: without the idle timeout the reply would wait until the test's own timeout.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(fake.requests).toHaveLength(1);
  });

  it('no first token in time: provider_timeout from the first-token timeout', async () => {
    const { fake, model } = await setUp(vendor, { firstTokenMs: 300 });
    fake.enqueue(fakeScenario.hangBeforeFirstToken());
    const started = Date.now();

    const reply = await ask(model);

    expect(expectProviderError(reply.error, 'provider_timeout').message).toContain('did not start answering');
    // The fake never answers: without the first-token timeout the reply would wait until the test's own timeout.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('abort through the signal mid-stream: an AbortError, promptly, not a ProviderError', async () => {
    const { fake, model } = await setUp(vendor, { idleMs: 10_000 });
    fake.enqueue(fakeScenario.hangAfterFirstToken('First words then nothing'));
    const controller = new AbortController();
    const parts = model.stream({ messages: [{ role: 'user', content: 'Hi' }], signal: controller.signal });
    const deltas: string[] = [];
    let stoppedAt = 0;

    const failure = await (async () => {
      for await (const part of parts) {
        if (part.type !== 'text-delta') continue;
        deltas.push(part.delta);
        stoppedAt = Date.now();
        controller.abort();
      }
    })().catch((error: unknown) => error);

    expect(deltas).toEqual(['First ']);
    expect((failure as Error).name).toBe('AbortError');
    expect(failure).not.toBeInstanceOf(ProviderError);
    // Not left to the 10 s idle timeout (a bound that a loaded machine cannot reach by accident).
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
  });
});

describe('before the first token', () => {
  it("Anthropic's overloaded error event right after a 200 is retried once", async () => {
    const { fake, model } = await setUp('anthropic');
    fake.enqueue(fakeScenario.failMidStream('unused', 0, 'error-event'), fakeScenario.reply('Recovered.'));

    const reply = await ask(model);

    expect(reply.text).toBe('Recovered.');
    expect(fake.requests).toHaveLength(2);
  });

  it('honours retry-after before the one retry', async () => {
    const { fake, model } = await setUp('openai');
    fake.enqueue(fakeScenario.httpError(429, { retryAfter: '1' }), fakeScenario.reply('After a pause.'));
    const started = Date.now();

    const reply = await ask(model);

    expect(reply.text).toBe('After a pause.');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('a server that cannot be reached: provider_unavailable', async () => {
    const { fake, model } = await setUp('openai');
    await fake.close();

    const reply = await ask(model);

    expect(expectProviderError(reply.error, 'provider_unavailable').message).toBe('Could not connect to the AI provider.');
  });

  it('abort while waiting for the first token: an AbortError at once', async () => {
    const { fake, model } = await setUp('openai', { firstTokenMs: 10_000 });
    fake.enqueue(fakeScenario.hangBeforeFirstToken());
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();

    const reply = await ask(model, controller.signal);

    expect((reply.error as Error).name).toBe('AbortError');
    // Not left to the 10 s first-token timeout (a bound that a loaded machine cannot reach by accident).
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('400: provider_error, not retried', async () => {
    const { fake, model } = await setUp('openai');
    fake.enqueue(fakeScenario.httpError(400), fakeScenario.reply('must not be asked'));

    const reply = await ask(model);

    expect(expectProviderError(reply.error, 'provider_error').status).toBe(400);
    expect(fake.requests).toHaveLength(1);
  });
});
