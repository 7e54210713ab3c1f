import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient, tokenStorageKey } from './chat-client.js';
import type { ChatStreamEvent } from './chat-stream.js';
import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError, ConflictError, ProviderError, UnavailableError } from './errors.js';
import { createMemoryStorage } from './storage.js';
import { SESSION_ID, SSE_HEADERS, replyStream, sseEvent, fixtureMessage } from './testing/chat-fixtures.js';
import { pause, sendError, startRawServer, type RawHandler, type RawServer } from './testing/raw-server.js';

const PARTS = ['Héllo ', '🌍 世界', ' — ok\n```js\nx\n```'];
const TEXT = PARTS.join('');

let server: RawServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A client that already has a visitor token, so every request goes straight to the chat endpoint. */
async function clientFor(handler: RawHandler, options: { timeout?: number; maxRetries?: number } = {}) {
  server = await startRawServer(handler);
  const storage = createMemoryStorage();
  storage.setItem(tokenStorageKey(server.url), 'visitor-token');
  return new ChatClient({ baseUrl: server.url, storage, maxRetries: 0, ...options });
}

async function collect(stream: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> {
  const events: ChatStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

function deltasOf(events: ChatStreamEvent[]): string {
  return events.map((event) => (event.type === 'text-delta' ? event.delta : '')).join('');
}

describe.each([
  ['LF', '\n'],
  ['CRLF', '\r\n'],
])('SSE decoding with %s line ends', (_name, lineEnd) => {
  const bytes = Buffer.from(replyStream(PARTS, lineEnd), 'utf8');

  it('yields the same events whatever byte the body is split at, multi-byte characters included', async () => {
    const client = await clientFor(async (_request, response, index) => {
      response.writeHead(200, SSE_HEADERS);
      response.write(bytes.subarray(0, index + 1));
      await pause();
      response.end(bytes.subarray(index + 1));
    });
    for (let offset = 1; offset < bytes.length; offset++) {
      const stream = client.chat.stream({ sessionId: SESSION_ID, content: 'hi' });
      const events = await collect(stream);
      const context = `split at byte ${offset} of ${bytes.length}`;
      expect(events.map((event) => event.type), context).toEqual([
        'message-start',
        'text-delta',
        'text-delta',
        'text-delta',
        'message-end',
      ]);
      expect(deltasOf(events), context).toBe(TEXT);
      expect(await stream.text(), context).toBe(TEXT);
    }
    // One HTTP request per byte of the body: minutes of work on a loaded 2-core machine, not seconds.
  }, 120_000);

  it('yields the reply when every byte arrives in a chunk of its own', async () => {
    const client = await clientFor(async (_request, response) => {
      response.writeHead(200, SSE_HEADERS);
      for (const byte of bytes) {
        response.write(Buffer.of(byte));
        await new Promise((resolve) => setImmediate(resolve));
      }
      response.end();
    });
    const stream = client.chat.stream({ sessionId: SESSION_ID, content: 'hi' });
    expect(deltasOf(await collect(stream))).toBe(TEXT);
    expect((await stream.finalMessage()).status).toBe('complete');
  });
});

describe('ChatStream', () => {
  it('sends the message as JSON with the visitor token, asking for an event stream', async () => {
    const client = await clientFor((_request, response) => {
      response.writeHead(200, SSE_HEADERS);
      response.end(replyStream(['ok']));
    });
    await client.chat.stream({ sessionId: SESSION_ID, content: 'hi', model: 'demo' }).text();
    const [request] = server!.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/api/chat');
    expect(request?.headers.accept).toBe('text/event-stream');
    expect(request?.headers.authorization).toBe('Bearer visitor-token');
    const body = JSON.parse(request?.body ?? '{}') as Record<string, unknown>;
    expect(body).toMatchObject({ sessionId: SESSION_ID, content: 'hi', model: 'demo' });
    expect(body.clientMessageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('throws an error event as a typed error after the events before it', async () => {
    const client = await clientFor((_request, response) => {
      response.writeHead(200, { ...SSE_HEADERS, 'x-request-id': 'req-stream' });
      response.write(replyStream(['partial']).split('event: message-end')[0]);
      response.end(sseEvent('error', { error: { type: 'provider_error', message: 'The provider hung up.' } }));
    });
    const seen: string[] = [];
    const stream = client.chat.stream({ sessionId: SESSION_ID, content: 'hi' });
    const failure = await (async () => {
      for await (const event of stream) seen.push(event.type);
    })().catch((error: unknown) => error);
    expect(seen).toEqual(['message-start', 'text-delta']);
    expect(failure).toBeInstanceOf(ProviderError);
    expect(failure).toMatchObject({ status: 502, type: 'provider_error', message: 'The provider hung up.', requestId: 'req-stream' });
    await expect(stream.text()).rejects.toBeInstanceOf(ProviderError);
  });

  it("throws the server's `error` event when a final `message-end` follows it (a stream that could not go on)", async () => {
    const client = await clientFor((_request, response) => {
      response.writeHead(200, { ...SSE_HEADERS, 'x-request-id': 'req-broken' });
      response.write(replyStream(['partial']).split('event: message-end')[0]);
      response.write(sseEvent('error', { error: { type: 'unavailable', message: 'The reply could not be followed to its end.' } }));
      const ended = fixtureMessage({ content: 'partial', status: 'error', error: { type: 'unavailable', message: 'The reply could not be followed to its end.' } });
      response.end(sseEvent('message-end', { message: ended }));
    });
    const seen: string[] = [];
    const stream = client.chat.stream({ sessionId: SESSION_ID, content: 'hi' });
    const failure = await (async () => {
      for await (const event of stream) seen.push(event.type);
    })().catch((error: unknown) => error);
    expect(seen).toEqual(['message-start', 'text-delta']);
    expect(failure).toBeInstanceOf(UnavailableError);
    expect(failure).toMatchObject({ status: 503, type: 'unavailable', message: 'The reply could not be followed to its end.', requestId: 'req-broken' });
    await expect(stream.finalMessage()).rejects.toBe(failure);
    await expect(stream.text()).rejects.toBe(failure);
  });

  it('throws a non-2xx answer as its typed error from the iterator, text() and finalMessage()', async () => {
    const client = await clientFor((_request, response) => sendError(response, 409, 'conflict', 'A reply is already being written.'));
    const stream = client.chat.stream({ sessionId: SESSION_ID, content: 'hi' });
    await expect(collect(stream)).rejects.toMatchObject({ status: 409, message: 'A reply is already being written.', requestId: 'req-409' });
    await expect(stream.text()).rejects.toBeInstanceOf(ConflictError);
    await expect(stream.finalMessage()).rejects.toBeInstanceOf(ConflictError);
  });

  it('aborts mid-stream with APIUserAbortError and closes the connection', async () => {
    let isClosed: Promise<void> | undefined;
    const client = await clientFor((_request, response) => {
      isClosed = new Promise((resolve) => response.on('close', () => resolve()));
      response.writeHead(200, SSE_HEADERS);
      response.write(replyStream(['first ']).split('event: message-end')[0]);
      // then silence: the reply is still being written
    });
    const stream = client.chat.stream({ sessionId: SESSION_ID, content: 'hi' });
    const seen: string[] = [];
    const failure = await (async () => {
      for await (const event of stream) {
        seen.push(event.type);
        if (event.type === 'text-delta') stream.abort();
      }
    })().catch((error: unknown) => error);
    expect(seen).toEqual(['message-start', 'text-delta']);
    expect(failure).toBeInstanceOf(APIUserAbortError);
    await expect(stream.text()).rejects.toBeInstanceOf(APIUserAbortError);
    await isClosed;
  });

  it('aborts through the signal passed in the request options', async () => {
    const client = await clientFor((_request, response) => {
      response.writeHead(200, SSE_HEADERS);
      response.write(': ping\n\n');
    });
    const controller = new AbortController();
    const stream = client.chat.stream({ sessionId: SESSION_ID, content: 'hi' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(stream.text()).rejects.toBeInstanceOf(APIUserAbortError);
  });

  it('aborts through a signal given with the message, as the contract shows it', async () => {
    const client = await clientFor((_request, response) => {
      response.writeHead(200, SSE_HEADERS);
      response.write(': ping\n\n');
    });
    const stream = client.chat.stream({ sessionId: SESSION_ID, content: 'hi', signal: AbortSignal.timeout(50) });
    await expect(stream.finalMessage()).rejects.toBeInstanceOf(APIUserAbortError);
    expect(JSON.parse(server!.requests[0]!.body)).not.toHaveProperty('signal');
  });

  it('closes the connection when the loop is left early', async () => {
    let isClosed: Promise<void> | undefined;
    const client = await clientFor((_request, response) => {
      isClosed = new Promise((resolve) => response.on('close', () => resolve()));
      response.writeHead(200, SSE_HEADERS);
      response.write(replyStream(['a', 'b']).split('event: message-end')[0]);
    });
    for await (const event of client.chat.stream({ sessionId: SESSION_ID, content: 'hi' })) {
      if (event.type === 'message-start') break;
    }
    await isClosed;
  });

  it('times out when the server goes silent mid-stream, pings keeping it alive until then', async () => {
    const client = await clientFor(async (_request, response) => {
      response.writeHead(200, SSE_HEADERS);
      response.write(replyStream(['a']).split('event: text-delta')[0]);
      for (let ping = 0; ping < 4; ping++) {
        await pause(100);
        response.write(': ping\n\n');
      }
    }, { timeout: 250 });
    const started = Date.now();
    const stream = client.chat.stream({ sessionId: SESSION_ID, content: 'hi' });
    await expect(stream.text()).rejects.toBeInstanceOf(APIConnectionTimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
  });

  it('fails with APIConnectionError when the stream ends before message-end', async () => {
    const client = await clientFor((_request, response) => {
      response.writeHead(200, SSE_HEADERS);
      response.end(replyStream(['cut']).split('event: message-end')[0]);
    });
    const stream = client.chat.stream({ sessionId: SESSION_ID, content: 'hi' });
    await expect(stream.finalMessage()).rejects.toBeInstanceOf(APIConnectionError);
  });

  it('keeps the stored message status, e.g. a reply that ended in error', async () => {
    const failed = fixtureMessage({ content: 'half', status: 'error', error: { type: 'provider_error', message: 'boom' } });
    const client = await clientFor((_request, response) => {
      response.writeHead(200, SSE_HEADERS);
      response.end(replyStream(['half']).split('event: message-end')[0] + sseEvent('message-end', { message: failed }));
    });
    const message = await client.chat.stream({ sessionId: SESSION_ID, content: 'hi' }).finalMessage();
    expect(message).toMatchObject({ status: 'error', content: 'half', error: { message: 'boom' } });
  });

  it('can be iterated only once', async () => {
    const client = await clientFor((_request, response) => {
      response.writeHead(200, SSE_HEADERS);
      response.end(replyStream(['x']));
    });
    const stream = client.chat.stream({ sessionId: SESSION_ID, content: 'hi' });
    await collect(stream);
    await expect(collect(stream)).rejects.toThrow(/only once/);
  });
});
