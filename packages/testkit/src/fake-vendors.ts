import type { ServerResponse } from 'node:http';
import {
  fakeScenario,
  startFakeVendor,
  writeJsonResponse,
  type FakeScenario,
  type FakeUsage,
  type FakeVendorOptions,
  type FakeVendorServer,
  type RecordedRequest,
  type VendorDialect,
  type VendorStreamWriter,
} from './fake-vendor-server.js';

export { fakeScenario, requestMessages, splitIntoChunks } from './fake-vendor-server.js';
export type { FakeScenario, FakeUsage, FakeVendorOptions, FakeVendorServer, RecordedRequest } from './fake-vendor-server.js';

const CREATED = 1_700_000_000;

function sse(data: unknown, event?: string): string {
  return `${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
}

function requestedModel(request: RecordedRequest, fallback: string): string {
  const model = (request.body as { model?: unknown } | null)?.model;
  return typeof model === 'string' ? model : fallback;
}

function header(request: RecordedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

// OpenAI's error `type` and `code` per status, as its API sends them.
const OPENAI_ERRORS: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request.' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' },
  404: { type: 'invalid_request_error', code: 'model_not_found', message: 'The model does not exist.' },
  429: { type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached for requests.' },
  500: { type: 'server_error', code: null, message: 'The server had an error while processing your request.' },
};

const openAIDialect: VendorDialect = {
  path: '/v1/chat/completions',
  defaultScenario: fakeScenario.reply('Hello from the fake OpenAI.'),
  readApiKey: (request) => header(request, 'authorization')?.replace(/^Bearer /, ''),
  writeError(response: ServerResponse, status, message) {
    const known = OPENAI_ERRORS[status] ?? OPENAI_ERRORS[500]!;
    writeJsonResponse(response, status, { error: { message: message ?? known.message, type: known.type, param: null, code: known.code } });
  },
  writeJson(response, scenario, request) {
    const usage = scenario.usage ?? { inputTokens: 1, outputTokens: scenario.chunks.length };
    writeJsonResponse(response, 200, {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: CREATED,
      model: requestedModel(request, 'gpt-4o-mini'),
      choices: [{ index: 0, message: { role: 'assistant', content: scenario.chunks.join(''), refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.inputTokens + usage.outputTokens },
    });
  },
  stream(request, usage) {
    return openAIStream(request, usage);
  },
};

function openAIStream(request: RecordedRequest, usage: FakeUsage): VendorStreamWriter {
  const body = request.body as { stream_options?: { include_usage?: boolean } };
  const includeUsage = body.stream_options?.include_usage === true;
  const model = requestedModel(request, 'gpt-4o-mini');
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    sse({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: CREATED, model, system_fingerprint: 'fp_fake', choices, ...(includeUsage ? { usage: null } : {}), ...extra });
  return {
    start: () => chunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }]),
    chunk: (text) => chunk([{ index: 0, delta: { content: text }, logprobs: null, finish_reason: null }]),
    end: () =>
      chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]) +
      (includeUsage
        ? chunk([], { usage: { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.inputTokens + usage.outputTokens } })
        : '') +
      'data: [DONE]\n\n',
    error: () => sse({ error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } }),
  };
}

// Anthropic's error `type` per status, as its API sends them.
const ANTHROPIC_ERRORS: Record<number, { type: string; message: string }> = {
  400: { type: 'invalid_request_error', message: 'Invalid request.' },
  401: { type: 'authentication_error', message: 'invalid x-api-key' },
  403: { type: 'permission_error', message: 'Your API key does not have permission to use the specified resource.' },
  404: { type: 'not_found_error', message: 'The requested resource could not be found.' },
  429: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit.' },
  500: { type: 'api_error', message: 'Internal server error' },
  529: { type: 'overloaded_error', message: 'Overloaded' },
};

const anthropicDialect: VendorDialect = {
  path: '/v1/messages',
  defaultScenario: fakeScenario.reply('Hello from the fake Anthropic.'),
  readApiKey: (request) => header(request, 'x-api-key'),
  writeError(response, status, message) {
    const known = ANTHROPIC_ERRORS[status] ?? ANTHROPIC_ERRORS[500]!;
    writeJsonResponse(response, status, { type: 'error', error: { type: known.type, message: message ?? known.message } });
  },
  writeJson(response, scenario, request) {
    const usage = scenario.usage ?? { inputTokens: 1, outputTokens: scenario.chunks.length };
    writeJsonResponse(response, 200, {
      ...anthropicMessage(request, { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens }),
      content: [{ type: 'text', text: scenario.chunks.join('') }],
      stop_reason: 'end_turn',
    });
  },
  stream(request, usage) {
    return anthropicStream(request, usage);
  },
};

function anthropicMessage(request: RecordedRequest, usage: { input_tokens: number; output_tokens: number }) {
  const model = requestedModel(request, 'claude-sonnet-4-5');
  return { id: 'msg_fake', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage };
}

function anthropicStream(request: RecordedRequest, usage: FakeUsage): VendorStreamWriter {
  return {
    start: () =>
      sse({ type: 'message_start', message: anthropicMessage(request, { input_tokens: usage.inputTokens, output_tokens: 1 }) }, 'message_start') +
      sse({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, 'content_block_start') +
      sse({ type: 'ping' }, 'ping'),
    chunk: (text) => sse({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }, 'content_block_delta'),
    end: () =>
      sse({ type: 'content_block_stop', index: 0 }, 'content_block_stop') +
      sse({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: usage.outputTokens } }, 'message_delta') +
      sse({ type: 'message_stop' }, 'message_stop'),
    error: () => sse({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 'error'),
  };
}

/**
 * Starts a fake OpenAI (chat completions) on 127.0.0.1: `POST /v1/chat/completions`, streamed as
 * `chat.completion.chunk` events with a usage chunk and `[DONE]`, or as one JSON reply. Also what
 * OpenAI-compatible servers (Ollama, vLLM, …) speak.
 */
export function startFakeOpenAI(options: FakeVendorOptions = {}): Promise<FakeVendorServer> {
  return startFakeVendor(openAIDialect, options);
}

/**
 * Starts a fake Anthropic (messages API) on 127.0.0.1: `POST /v1/messages`, streamed as `message_start` …
 * `message_stop` with a `ping`, an `event: error` after a 200 when asked, or as one JSON reply.
 */
export function startFakeAnthropic(options: FakeVendorOptions = {}): Promise<FakeVendorServer> {
  return startFakeVendor(anthropicDialect, options);
}
