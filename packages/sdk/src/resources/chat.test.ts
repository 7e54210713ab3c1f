import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient, tokenStorageKey } from '../chat-client.js';
import { APIConnectionError, ProviderError } from '../errors.js';
import { createMemoryStorage } from '../storage.js';
import { SESSION_ID, SSE_HEADERS, fixtureMessage, replyStream } from '../testing/chat-fixtures.js';
import { countRequests, fakeApi } from '../testing/fake-api.js';
import { sendError, sendJson, startRawServer, type RawHandler, type RawServer } from '../testing/raw-server.js';

let server: RawServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(chat: RawHandler, storedToken = 'visitor-stored') {
  server = await startRawServer(fakeApi({ 'POST /api/chat': chat }));
  const storage = createMemoryStorage();
  storage.setItem(tokenStorageKey(server.url), storedToken);
  return new ChatClient({ baseUrl: server.url, storage });
}

/** Answers the n-th chat request (0-based) with `handlers[n]`, the last one for any later request. */
function inTurn(...handlers: RawHandler[]): RawHandler {
  let turn = 0;
  return (request, response, index) => handlers[Math.min(turn++, handlers.length - 1)]!(request, response, index);
}

const reply: RawHandler = (_request, response) => {
  response.writeHead(200, SSE_HEADERS);
  response.end(replyStream(['Hello', ' again']));
};
const unavailable: RawHandler = (_request, response) => sendError(response, 503, 'unavailable', 'Busy.', { 'retry-after': '0' });
const dropAfterHeaders: RawHandler = (_request, response) => {
  response.writeHead(200, SSE_HEADERS);
  response.write(': ping\n\n');
  setTimeout(() => response.socket?.destroy(), 20);
};
const dropAfterStart: RawHandler = (_request, response) => {
  response.writeHead(200, SSE_HEADERS);
  response.write(replyStream(['Hel']).split('event: text-delta')[0]);
  setTimeout(() => response.socket?.destroy(), 20);
};

function clientMessageIds(): unknown[] {
  return server!.requests.filter((request) => request.path === '/api/chat').map((request) => JSON.parse(request.body).clientMessageId);
}

describe('chat.stream() retries', () => {
  it('retries a refused stream with the same clientMessageId', async () => {
    const client = await clientFor(inTurn(unavailable, reply));
    expect(await client.chat.stream({ sessionId: SESSION_ID, content: 'hi' }).text()).toBe('Hello again');
    const ids = clientMessageIds();
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(ids[0]);
  });

  it('retries a connection lost before message-start, keeping the caller-given id', async () => {
    const client = await clientFor(inTurn(dropAfterHeaders, reply));
    const stream = client.chat.stream({ sessionId: SESSION_ID, content: 'hi', clientMessageId: 'mine-1' });
    expect(await stream.text()).toBe('Hello again');
    expect(clientMessageIds()).toEqual(['mine-1', 'mine-1']);
  });

  it('does not retry once message-start has arrived', async () => {
    const client = await clientFor(inTurn(dropAfterStart, reply));
    const stream = client.chat.stream({ sessionId: SESSION_ID, content: 'hi' });
    const seen: string[] = [];
    const failure = await (async () => {
      for await (const event of stream) seen.push(event.type);
    })().catch((error: unknown) => error);
    expect(seen).toEqual(['message-start']);
    expect(failure).toBeInstanceOf(APIConnectionError);
    expect(countRequests(server!.requests, 'POST /api/chat')).toBe(1);
  });

  it('replaces an erased visitor on a 401 and streams with the new token', async () => {
    const client = await clientFor((request, response, index) =>
      request.headers.authorization === 'Bearer visitor-1' ? reply(request, response, index) : sendError(response, 401, 'unauthorized', 'Unknown.'),
    );
    expect(await client.chat.stream({ sessionId: SESSION_ID, content: 'hi' }).text()).toBe('Hello again');
    expect(countRequests(server!.requests, 'POST /api/users')).toBe(1);
  });
});

describe('chat.send()', () => {
  const answer: RawHandler = (request, response) =>
    sendJson(response, 200, {
      userMessage: fixtureMessage({ role: 'user', content: JSON.parse(request.body).content, status: 'complete' }),
      assistantMessage: fixtureMessage({ content: 'Hi there', status: 'complete' }),
    });
  const dropBeforeAnswer: RawHandler = (_request, response) => void response.socket?.destroy();

  it('asks for JSON and returns both stored messages', async () => {
    const client = await clientFor(answer);
    const result = await client.chat.send({ sessionId: SESSION_ID, content: 'Hello?' });
    expect(result.userMessage.content).toBe('Hello?');
    expect(result.assistantMessage).toMatchObject({ content: 'Hi there', status: 'complete' });
    expect(server!.requests.at(-1)?.headers.accept).toBe('application/json');
  });

  it('retries a lost answer with the same clientMessageId', async () => {
    const client = await clientFor(inTurn(dropBeforeAnswer, answer));
    await client.chat.send({ sessionId: SESSION_ID, content: 'Hello?' });
    const ids = clientMessageIds();
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  it('throws ProviderError without retrying when the provider failed', async () => {
    const client = await clientFor((_request, response) => sendError(response, 502, 'provider_error', 'Upstream 500.'));
    await expect(client.chat.send({ sessionId: SESSION_ID, content: 'Hello?' })).rejects.toBeInstanceOf(ProviderError);
    expect(countRequests(server!.requests, 'POST /api/chat')).toBe(1);
  });
});
