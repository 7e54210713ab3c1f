import { APICallError } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScenario, startFakeAnthropic, startFakeOpenAI, startTestServer, type FakeVendorServer, type TestServer } from '@ai-chat/testkit';
import { openChatStream } from '../testing/chat-stream-client.js';
import { httpClient } from '../testing/http-client.js';
import { createSecretRedactor } from './redact-secrets.js';
import { toProviderError } from './to-provider-error.js';

const OPENAI_KEY = 'sk-proj-Zq8rT2vLm9XwK4pN7bHc1dFg6sJ3yE0uA5iO';
const ANTHROPIC_KEY = 'vendorkey_R7t2Lq9Vm4Xw8Kp1Nb6Hc3Df0Gs5Jy';

/**
 * Every run of 8 characters that comes from `secret` alone, as written or in base64 (standard or URL-safe) at any
 * alignment inside a longer encoded value. Found by encoding the secret between two different fillers: the runs
 * both encodings share at the same place depend on the secret only.
 */
function secretRuns(secret: string): Set<string> {
  const runs = new Set<string>();
  const add = (text: string) => {
    for (let start = 0; start + 8 <= text.length; start += 1) runs.add(text.slice(start, start + 8));
  };
  add(secret);
  for (let offset = 0; offset < 3; offset += 1) {
    const encode = (filler: number) => Buffer.concat([Buffer.alloc(offset, filler), Buffer.from(secret), Buffer.alloc(2, filler)]).toString('base64');
    const [first, second] = [encode(0x00), encode(0xff)];
    for (let start = 0; start + 8 <= first.length; start += 1) {
      const run = first.slice(start, start + 8);
      if (run === second.slice(start, start + 8)) {
        runs.add(run);
        runs.add(run.replace(/\+/g, '-').replace(/\//g, '_'));
      }
    }
  }
  return runs;
}

function findLeaks(text: string, secrets: string[]): string[] {
  return secrets.flatMap((secret) => [...secretRuns(secret)].filter((run) => text.includes(run)));
}

/** The ways an upstream has been seen to echo a key: whole, in base64, inside Basic credentials, its tail, in JSON. */
function echoes(key: string): string {
  const base64 = Buffer.from(key).toString('base64');
  return [
    `Incorrect API key provided: ${key}.`,
    `key (base64): ${base64}`,
    `key (base64url): ${Buffer.from(key).toString('base64url')}`,
    `Authorization: Basic ${Buffer.from(`user:${key}`).toString('base64')}`,
    `Authorization: Bearer ${Buffer.from(`Bearer ${key}`).toString('base64')}`,
    `key ending in ...${key.slice(-8)}`,
    `key starting ${key.slice(0, 8)}...`,
    JSON.stringify({ received: { apiKey: key, encoded: base64 } }),
  ].join(' | ');
}

describe('createSecretRedactor', () => {
  it('removes every 8-character run of a key, raw or base64 at any alignment, and nothing else', () => {
    const redact = createSecretRedactor([OPENAI_KEY, 'short']);
    const text = `upstream said: ${echoes(OPENAI_KEY)} and a short one: short; request 42 failed`;
    const redacted = redact(text);
    expect(findLeaks(redacted, [OPENAI_KEY])).toEqual([]);
    expect(redacted).not.toContain('short;');
    expect(redacted).toContain('upstream said: Incorrect API key provided: [redacted]');
    expect(redacted).toContain('request 42 failed');
    expect(redact('nothing secret in here at all')).toBe('nothing secret in here at all');
  });

  it("keeps a provider error's detail free of the key before any logger sees it", () => {
    const upstream = new APICallError({ message: echoes(OPENAI_KEY), url: 'http://127.0.0.1/v1', requestBodyValues: {}, statusCode: 401 });
    const error = toProviderError(upstream, [OPENAI_KEY]);
    expect(error.detail).toContain('Incorrect API key provided: [redacted]');
    expect(findLeaks(`${error.message} ${error.detail}`, [OPENAI_KEY])).toEqual([]);
  });

  it('still removes anything shaped like a vendor key it was not told about', () => {
    expect(createSecretRedactor([])('proxy key sk-live-abcdefgh12345678 refused')).toBe('proxy key [redacted] refused');
  });
});

describe('keys stay secret when an upstream echoes them', () => {
  let openai: FakeVendorServer;
  let anthropic: FakeVendorServer;
  let server: TestServer;
  let http: ReturnType<typeof httpClient>;
  beforeAll(async () => {
    // A 401 with the key in every form, and a 500 (retried once) that does the same.
    openai = await startFakeOpenAI({ respond: () => fakeScenario.httpError(401, { message: echoes(OPENAI_KEY) }) });
    anthropic = await startFakeAnthropic({ respond: () => fakeScenario.httpError(500, { message: echoes(ANTHROPIC_KEY) }) });
    server = await startTestServer({
      env: {
        AI_CHAT_MODELS: JSON.stringify([
          { id: 'echo-gpt', provider: 'openai', model: 'gpt-4o-mini', baseURL: openai.baseURL, apiKeyEnv: 'ECHO_OPENAI_KEY' },
          { id: 'echo-claude', provider: 'anthropic', model: 'claude-test', baseURL: anthropic.baseURL, apiKeyEnv: 'ECHO_ANTHROPIC_KEY' },
        ]),
        ECHO_OPENAI_KEY: OPENAI_KEY,
        ECHO_ANTHROPIC_KEY: ANTHROPIC_KEY,
        AI_CHAT_DEFAULT_MODEL: 'demo',
      },
      app: { chat: { flushIntervalMs: 100, pingIntervalMs: 15_000 } },
    });
    http = httpClient(server.url);
  });
  afterAll(async () => {
    await server.close();
    await openai.close();
    await anthropic.close();
  });

  it('writes no run of 8 characters of a key, raw or base64, into a log line or a response', async () => {
    const { token } = await http.createUser();
    const answers: string[] = [];
    for (const model of ['echo-gpt', 'echo-claude']) {
      const session = await http.createSession(token, { model });
      const json = await http.post('/api/chat', { token, body: { sessionId: session.id, content: 'hello', clientMessageId: `${model}-json` } });
      expect(json.status).toBe(502);
      const second = await http.createSession(token, { model });
      const stream = await openChatStream(server.url, token, { sessionId: second.id, content: 'hello' });
      await stream.ended;
      expect(stream.events.at(-1)?.event).toBe('message-end');
      answers.push(json.text, JSON.stringify(stream.events));
      for (const id of [session.id, second.id]) answers.push((await http.get(`/api/sessions/${id}/messages`, { token })).text);
    }
    answers.push((await http.get('/api/users/me/export', { token })).text, (await http.get('/metrics')).text);

    // The vendors did receive the keys and did echo them: what follows is about what the server let through.
    expect(openai.requests.length).toBeGreaterThanOrEqual(2);
    expect(anthropic.requests.length).toBeGreaterThanOrEqual(4);
    const logs = server.logs.join('\n');
    expect(logs).toContain('reply failed');
    expect(logs).toContain('Incorrect API key provided: [redacted]');
    expect(findLeaks(logs, [OPENAI_KEY, ANTHROPIC_KEY])).toEqual([]);
    expect(findLeaks(answers.join('\n'), [OPENAI_KEY, ANTHROPIC_KEY])).toEqual([]);
  });
});
