import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText } from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeScenario, startFakeAnthropic, startFakeOpenAI, type FakeVendorServer } from './fake-vendors.js';

let server: FakeVendorServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function post(path: string, body: object, headers: Record<string, string> = {}) {
  const response = await fetch(`${server!.baseURL}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { response, text: await response.text().catch(() => 'BROKEN') };
}

/** The `data:` payloads of an SSE body, parsed (except `[DONE]`), with their `event:` names. */
function events(body: string): Array<{ event?: string; data: unknown }> {
  return body
    .split('\n\n')
    .filter(Boolean)
    .map((frame) => {
      const event = /^event: (.+)$/m.exec(frame)?.[1];
      const data = /^data: (.+)$/m.exec(frame)![1]!;
      return { event, data: data === '[DONE]' ? data : JSON.parse(data) };
    });
}

describe('startFakeOpenAI', () => {
  it('streams chat.completion.chunk events: role first, content, stop, usage with empty choices, [DONE]', async () => {
    server = await startFakeOpenAI({ scenarios: [fakeScenario.reply('Hi there', { usage: { inputTokens: 4, outputTokens: 2 } })] });
    const { response, text } = await post('/chat/completions', { model: 'gpt-x', stream: true, stream_options: { include_usage: true }, messages: [] });

    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const data = events(text).map((frame) => frame.data as { object: string; model: string; choices: Array<{ delta: object; finish_reason: string | null }>; usage?: object });
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1);
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk' && chunk.model === 'gpt-x')).toBe(true);
    expect(chunks[0]!.choices[0]!.delta).toMatchObject({ role: 'assistant' });
    expect(chunks.slice(1, 3).map((chunk) => chunk.choices[0]!.delta)).toEqual([{ content: 'Hi ' }, { content: 'there' }]);
    expect(chunks[3]!.choices[0]!.finish_reason).toBe('stop');
    expect(chunks[4]).toMatchObject({ choices: [], usage: { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 } });
  });

  it('sends no usage chunk unless asked for', async () => {
    server = await startFakeOpenAI();
    const { text } = await post('/chat/completions', { model: 'm', stream: true, messages: [] });
    expect(events(text).some((frame) => (frame.data as { usage?: unknown }).usage)).toBe(false);
  });

  it('answers a non-streaming request with one chat.completion the AI SDK can read', async () => {
    server = await startFakeOpenAI({ scenarios: [fakeScenario.reply('A short title', { usage: { inputTokens: 9, outputTokens: 3 } })] });
    const result = await generateText({ model: createOpenAI({ baseURL: server.baseURL, apiKey: 'sk-x' }).chat('gpt-4o-mini'), prompt: 'Title this', maxRetries: 0 });
    expect(result.text).toBe('A short title');
    expect(result.usage).toMatchObject({ inputTokens: 9, outputTokens: 3 });
    expect(server.requests[0]?.body).toMatchObject({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Title this' }] });
  });

  it("answers errors in OpenAI's JSON shape, with retry-after, and 401 for a wrong key", async () => {
    server = await startFakeOpenAI({ apiKey: 'sk-right', scenarios: [fakeScenario.httpError(429, { retryAfter: '7' })] });
    const limited = await post('/chat/completions', { stream: true }, { authorization: 'Bearer sk-right' });
    expect(limited.response.status).toBe(429);
    expect(limited.response.headers.get('retry-after')).toBe('7');
    expect(JSON.parse(limited.text)).toEqual({ error: { message: expect.any(String), type: 'requests', param: null, code: 'rate_limit_exceeded' } });

    const wrong = await post('/chat/completions', { stream: true }, { authorization: 'Bearer sk-wrong' });
    expect(wrong.response.status).toBe(401);
    expect(JSON.parse(wrong.text).error.code).toBe('invalid_api_key');
    expect(server.requests.map((request) => request.headers.authorization)).toEqual(['Bearer sk-right', 'Bearer sk-wrong']);
  });

  it('destroys the connection mid-stream after the chunks it was told to send', async () => {
    server = await startFakeOpenAI({ scenarios: [fakeScenario.failMidStream('one two three', 1)] });
    const response = await fetch(`${server.baseURL}/chat/completions`, { method: 'POST', body: JSON.stringify({ stream: true }) });
    const reader = response.body!.getReader();
    let received = '';
    const failure = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return undefined;
        received += new TextDecoder().decode(value);
      }
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect(received).toContain('"content":"one "');
    expect(received).not.toContain('two');
  });
});

describe('startFakeAnthropic', () => {
  it('streams message_start, content_block_start, ping, text deltas, content_block_stop, message_delta, message_stop', async () => {
    server = await startFakeAnthropic({ scenarios: [fakeScenario.reply('Hello you', { usage: { inputTokens: 11, outputTokens: 2 } })] });
    const { text } = await post('/messages', { model: 'claude-x', stream: true, messages: [] });

    const frames = events(text);
    expect(frames.map((frame) => frame.event)).toEqual([
      'message_start', 'content_block_start', 'ping', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop',
    ]);
    expect(frames.every((frame) => (frame.data as { type: string }).type === frame.event)).toBe(true);
    expect(frames[0]!.data).toMatchObject({ message: { model: 'claude-x', role: 'assistant', usage: { input_tokens: 11 } } });
    expect(frames[3]!.data).toMatchObject({ delta: { type: 'text_delta', text: 'Hello ' } });
    expect(frames[6]!.data).toMatchObject({ delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 2 } });
  });

  it('sends an error event (overloaded_error) after a 200 when told to', async () => {
    server = await startFakeAnthropic({ scenarios: [fakeScenario.failMidStream('a b c', 2, 'error-event')] });
    const { response, text } = await post('/messages', { stream: true });
    expect(response.status).toBe(200);
    const last = events(text).at(-1)!;
    expect(last).toEqual({ event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } });
  });

  it("answers a non-streaming request with one message the AI SDK can read, and errors in Anthropic's shape", async () => {
    server = await startFakeAnthropic({ scenarios: [fakeScenario.reply('Done.'), fakeScenario.httpError(500)] });
    const result = await generateText({ model: createAnthropic({ baseURL: server.baseURL, apiKey: 'k' }).messages('claude-haiku-4-5'), prompt: 'Go', maxRetries: 0 });
    expect(result.text).toBe('Done.');

    const failed = await post('/messages', { stream: true });
    expect(failed.response.status).toBe(500);
    expect(JSON.parse(failed.text)).toEqual({ type: 'error', error: { type: 'api_error', message: 'Internal server error' } });
  });

  it('can choose the answer from the request, and closes with requests still hanging', async () => {
    server = await startFakeAnthropic({ respond: (request) => ((request.body as { model: string }).model === 'slow' ? fakeScenario.hangBeforeFirstToken() : fakeScenario.reply('fast')) });
    const hanging = fetch(`${server.baseURL}/messages`, { method: 'POST', body: JSON.stringify({ model: 'slow', stream: true }) }).then((response) => response.text()).catch(() => 'closed');
    const fast = await post('/messages', { model: 'fast', stream: true });
    expect(fast.text).toContain('"text":"fast"');
    await server.close();
    server = undefined;
    expect(await hanging).toBe('closed');
  });
});
