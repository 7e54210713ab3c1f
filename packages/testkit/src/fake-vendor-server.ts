import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** One request a fake vendor received, for tests to assert what was sent upstream. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
}

/** Token counts a fake reports. */
export interface FakeUsage {
  inputTokens: number;
  outputTokens: number;
}

/** How a fake vendor answers one request. */
export type FakeScenario =
  /** A normal reply, streamed chunk by chunk. */
  | { kind: 'reply'; chunks: string[]; chunkDelayMs?: number; usage?: FakeUsage }
  /** Streams `afterChunks` chunks, then destroys the socket or sends the vendor's error event. */
  | { kind: 'fail-mid-stream'; chunks: string[]; afterChunks: number; how: 'destroy' | 'error-event' }
  /** Streams `afterChunks` chunks (0: only the response headers), then never sends anything more. */
  | { kind: 'hang'; chunks: string[]; afterChunks: number }
  /** Answers with an HTTP error in the vendor's JSON shape. `message` may echo what the vendor would echo. */
  | { kind: 'http-error'; status: number; retryAfter?: string; message?: string };

/** Scenario builders, so tests read as what happens upstream. */
export const fakeScenario = {
  /** A reply split into word-sized chunks. */
  reply: (text: string, options: { chunkDelayMs?: number; usage?: FakeUsage } = {}): FakeScenario => ({
    kind: 'reply',
    chunks: splitIntoChunks(text),
    ...options,
  }),
  failMidStream: (text: string, afterChunks: number, how: 'destroy' | 'error-event' = 'destroy'): FakeScenario => ({
    kind: 'fail-mid-stream',
    chunks: splitIntoChunks(text),
    afterChunks,
    how,
  }),
  hangAfterFirstToken: (text: string): FakeScenario => ({ kind: 'hang', chunks: splitIntoChunks(text), afterChunks: 1 }),
  hangBeforeFirstToken: (): FakeScenario => ({ kind: 'hang', chunks: [], afterChunks: 0 }),
  httpError: (status: number, options: { retryAfter?: string; message?: string } = {}): FakeScenario => ({
    kind: 'http-error',
    status,
    ...options,
  }),
};

/** Splits text into word-sized chunks (each word keeps its following whitespace) that join back to the text. */
export function splitIntoChunks(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? [text];
}

/** How tests pick the answers: a queue used first, then a function of the request, then the vendor's default. */
export interface FakeVendorOptions {
  scenarios?: FakeScenario[];
  respond?: (request: RecordedRequest) => FakeScenario;
  /** When set, requests that do not carry this key get the vendor's 401. */
  apiKey?: string;
}

/** A running fake vendor. */
export interface FakeVendorServer {
  /** The base URL to configure, e.g. `http://127.0.0.1:4321/v1`. */
  readonly baseURL: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Queues answers for the next requests. */
  enqueue(...scenarios: FakeScenario[]): void;
  close(): Promise<void>;
}

/** How one vendor turns a scenario into its wire format. */
export interface VendorDialect {
  path: string;
  defaultScenario: FakeScenario;
  /** The key the request carries (Authorization or x-api-key). */
  readApiKey(request: RecordedRequest): string | undefined;
  writeError(response: ServerResponse, status: number, message: string | undefined, request: RecordedRequest): void;
  writeJson(response: ServerResponse, scenario: Extract<FakeScenario, { kind: 'reply' }>, request: RecordedRequest): void;
  /** Everything of a stream but its content: what goes before, around each chunk, and after. */
  stream(request: RecordedRequest, usage: FakeUsage): VendorStreamWriter;
}

/** The SSE frames of one streamed reply. */
export interface VendorStreamWriter {
  start(): string;
  chunk(text: string): string;
  end(): string;
  error(): string;
}

/** Starts a fake vendor on 127.0.0.1 at a random port that answers `dialect.path` with the scenarios it is given. */
export async function startFakeVendor(dialect: VendorDialect, options: FakeVendorOptions): Promise<FakeVendorServer> {
  const requests: RecordedRequest[] = [];
  const queue = [...(options.scenarios ?? [])];
  const server = createServer((incoming, response) => {
    void handle(incoming, response).catch(() => response.destroy());
  });

  async function handle(incoming: IncomingMessage, response: ServerResponse) {
    const request = await readRequest(incoming);
    requests.push(request);
    if (request.method !== 'POST' || request.path !== dialect.path) {
      return dialect.writeError(response, 404, `Unknown path ${request.path}`, request);
    }
    if (options.apiKey !== undefined && dialect.readApiKey(request) !== options.apiKey) {
      return dialect.writeError(response, 401, undefined, request);
    }
    const scenario = queue.shift() ?? options.respond?.(request) ?? dialect.defaultScenario;
    await answer(dialect, scenario, request, response);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...scenarios) => queue.push(...scenarios),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function answer(dialect: VendorDialect, scenario: FakeScenario, request: RecordedRequest, response: ServerResponse) {
  if (scenario.kind === 'http-error') {
    if (scenario.retryAfter !== undefined) response.setHeader('retry-after', scenario.retryAfter);
    return dialect.writeError(response, scenario.status, scenario.message, request);
  }
  const isStream = (request.body as { stream?: unknown } | null)?.stream === true;
  if (!isStream) {
    if (scenario.kind === 'reply') return dialect.writeJson(response, scenario, request);
    if (scenario.kind === 'hang') return; // never answers
    return response.destroy();
  }
  await writeStream(dialect, scenario, request, response);
}

async function writeStream(dialect: VendorDialect, scenario: Exclude<FakeScenario, { kind: 'http-error' }>, request: RecordedRequest, response: ServerResponse) {
  const usage = scenario.kind === 'reply' && scenario.usage ? scenario.usage : estimateUsage(request, scenario.chunks);
  const writer = dialect.stream(request, usage);
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  response.flushHeaders();
  const limit = scenario.kind === 'reply' ? scenario.chunks.length : scenario.afterChunks;
  response.write(writer.start());
  for (const [index, chunk] of scenario.chunks.slice(0, limit).entries()) {
    if (index > 0 && scenario.kind === 'reply' && scenario.chunkDelayMs) await delay(scenario.chunkDelayMs);
    if (response.destroyed) return;
    response.write(writer.chunk(chunk));
  }
  if (scenario.kind === 'reply') return response.end(writer.end());
  if (scenario.kind === 'hang') return;
  if (scenario.how === 'error-event') return response.end(writer.error());
  // Let the chunks already written reach the client before the connection breaks.
  await delay(20);
  response.destroy();
}

/** Counts the words of the request's messages as input tokens and the chunks as output tokens. */
function estimateUsage(request: RecordedRequest, chunks: string[]): FakeUsage {
  const text = requestMessages(request).map((message) => message.content).join(' ');
  return { inputTokens: text.split(/\s+/).filter(Boolean).length, outputTokens: chunks.length };
}

/**
 * The messages of a recorded request as role and plain text, whichever vendor shape they came in (a string, or
 * Anthropic's and OpenAI's arrays of text parts). Anthropic's top-level `system` comes first as a `system` message.
 */
export function requestMessages(request: RecordedRequest): Array<{ role: string; content: string }> {
  const body = (request.body ?? {}) as { system?: unknown; messages?: Array<{ role: string; content: unknown }> };
  const messages = (body.messages ?? []).map((message) => ({ role: message.role, content: plainText(message.content) }));
  return body.system === undefined ? messages : [{ role: 'system', content: plainText(body.system) }, ...messages];
}

function plainText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part: { text?: unknown }) => (typeof part.text === 'string' ? part.text : '')).join('');
}

async function readRequest(incoming: IncomingMessage): Promise<RecordedRequest> {
  const parts: Buffer[] = [];
  for await (const part of incoming) parts.push(part as Buffer);
  const text = Buffer.concat(parts).toString('utf8');
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // keep the raw text: a test may want to see what was sent
  }
  const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
  return { method: incoming.method ?? 'GET', path: url.pathname, headers: { ...incoming.headers }, body };
}

/** Writes one JSON body with a status, the way the vendors do. */
export function writeJsonResponse(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
