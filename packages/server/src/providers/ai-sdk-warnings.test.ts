import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeScenario, startFakeAnthropic, startTestServer, type FakeVendorServer, type TestServer } from '@ai-chat/testkit';
import { httpClient } from '../testing/http-client.js';

let anthropic: FakeVendorServer;
let server: TestServer;

beforeAll(async () => {
  anthropic = await startFakeAnthropic({ respond: () => fakeScenario.reply('Noted.') });
  server = await startTestServer({
    env: {
      // A model the AI SDK does not know: it warns that `maxOutputTokens` runs in a compatibility mode.
      AI_CHAT_MODELS: JSON.stringify([{ id: 'claude-new', label: 'Claude New', provider: 'anthropic', model: 'claude-not-yet-known', baseURL: anthropic.baseURL, apiKeyEnv: 'TEST_ANTHROPIC_KEY' }]),
      TEST_ANTHROPIC_KEY: 'test-key-0123456789',
      AI_CHAT_DEFAULT_MODEL: 'claude-new',
    },
  });
});

afterAll(async () => {
  await server?.close();
  await anthropic?.close();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the AI SDK's warnings", () => {
  it('reach the server log once per distinct warning, never the console', async () => {
    const printed = [vi.spyOn(console, 'warn'), vi.spyOn(console, 'info')];
    const http = httpClient(server.url);
    const { token } = await http.createUser();
    for (const content of ['First question', 'Second question', 'Third question']) {
      const session = await http.createSession(token);
      const reply = await http.post('/api/chat', { token, body: { sessionId: session.id, content } });
      expect(reply.status).toBe(200);
      expect(reply.body.assistantMessage).toMatchObject({ status: 'complete', content: 'Noted.' });
    }
    const warnings = server.logs.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'AI SDK warning');
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.some((entry) => entry.level === 40 && entry.warning?.feature === 'maxOutputTokens')).toBe(true);
    const distinct = new Set(warnings.map((entry) => JSON.stringify([entry.provider, entry.model, entry.warning])));
    expect(distinct.size).toBe(warnings.length);
    for (const spy of printed) expect(spy.mock.calls.flat().join(' ')).not.toContain('AI SDK');
  });

  it("leave a host's own AI_SDK_LOG_WARNINGS setting alone", async () => {
    const own = vi.fn();
    globalThis.AI_SDK_LOG_WARNINGS = own;
    try {
      const other = await startTestServer({ env: { AI_CHAT_MODELS: JSON.stringify([{ id: 'claude-new', label: 'Claude New', provider: 'anthropic', model: 'claude-not-yet-known', baseURL: anthropic.baseURL, apiKeyEnv: 'TEST_ANTHROPIC_KEY' }]), TEST_ANTHROPIC_KEY: 'test-key-0123456789', AI_CHAT_DEFAULT_MODEL: 'claude-new' } });
      try {
        expect(globalThis.AI_SDK_LOG_WARNINGS).toBe(own);
        const http = httpClient(other.url);
        const { token } = await http.createUser();
        const session = await http.createSession(token);
        expect((await http.post('/api/chat', { token, body: { sessionId: session.id, content: 'Hello' } })).status).toBe(200);
        expect(own).toHaveBeenCalled();
        expect(other.logs.some((line) => line.includes('AI SDK warning'))).toBe(false);
      } finally {
        await other.close();
      }
    } finally {
      globalThis.AI_SDK_LOG_WARNINGS = undefined;
    }
  });
});
