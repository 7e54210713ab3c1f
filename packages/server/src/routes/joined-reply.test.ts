import { ChatClient, createMemoryStorage, tokenStorageKey, type ChatStreamEvent } from '@ai-chat/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScenario, startFakeOpenAI, startTestServer, type FakeVendorServer, type TestServer } from '@ai-chat/testkit';
import { openChatStream, streamedText } from '../testing/chat-stream-client.js';
import { httpClient } from '../testing/http-client.js';

let vendor: FakeVendorServer;
let writer: TestServer;
let other: TestServer;

beforeAll(async () => {
  vendor = await startFakeOpenAI();
  const env = { AI_CHAT_MODELS: JSON.stringify([{ id: 'fake', provider: 'openai-compatible', model: 'm', baseURL: vendor.baseURL, default: true }]) };
  // Two processes on one database, as behind a load balancer: the page sends to one and reloads onto the other.
  writer = await startTestServer({ env });
  other = await startTestServer({ databaseUri: writer.databaseUri, env });
});
afterAll(async () => {
  await other.close();
  await writer.close();
  await vendor.close();
});

/** A client of the other process with the visitor's token, as the reloaded page has it. */
function clientOfOther(token: string): ChatClient {
  const storage = createMemoryStorage();
  storage.setItem(tokenStorageKey(other.url), token);
  return new ChatClient({ baseUrl: other.url, storage });
}

/** Reads an SDK stream to its end. */
async function readAll(stream: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> {
  const events: ChatStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

function textOf(events: ChatStreamEvent[]): string {
  return events.map((event) => (event.type === 'text-delta' ? event.delta : '')).join('');
}

describe('a reply joined from another server process (the page reloads onto it)', () => {
  it('streams to its end, the same reply as the writing process sends', async () => {
    const http = httpClient(writer.url);
    const { token } = await http.createUser();
    const session = await http.createSession(token);
    const words = Array.from({ length: 30 }, (_, index) => `word${index}`).join(' ');
    vendor.enqueue(fakeScenario.reply(words, { chunkDelayMs: 40 }));
    const body = { sessionId: session.id, content: 'a long answer, please', clientMessageId: 'reloaded-1' };
    const written = await openChatStream(writer.url, token, body);
    await written.waitFor('text-delta');

    // The reloaded page resumes with the same message and clientMessageId, through the SDK, on the other process.
    const joined = await readAll(clientOfOther(token).chat.stream(body));
    await written.ended;
    expect(joined[0]).toMatchObject({ type: 'message-start', assistantMessage: { id: written.events[0]!.data.assistantMessage.id } });
    expect(textOf(joined)).toBe(words);
    expect(joined.at(-1)).toMatchObject({ type: 'message-end', message: { status: 'complete', content: words } });
    expect(streamedText(written)).toBe(words);
    expect(vendor.requests.filter((request) => request.path.endsWith('/chat/completions'))).toHaveLength(1);
    const stored = (await http.get(`/api/sessions/${session.id}/messages`, { token })).body.messages;
    expect(stored.map((message: { role: string; status: string }) => [message.role, message.status])).toEqual([['user', 'complete'], ['assistant', 'complete']]);
  });

  it('stops when the reloaded page asks the other process to stop it', async () => {
    const http = httpClient(writer.url);
    const { token } = await http.createUser();
    const session = await http.createSession(token);
    const words = Array.from({ length: 100 }, (_, index) => `word${index}`);
    vendor.enqueue(fakeScenario.reply(words.join(' '), { chunkDelayMs: 40 }));
    const body = { sessionId: session.id, content: 'a very long answer, please', clientMessageId: 'reloaded-2' };
    const written = await openChatStream(writer.url, token, body);
    await written.waitFor('text-delta');

    const client = clientOfOther(token);
    const events: ChatStreamEvent[] = [];
    const joining = (async () => {
      for await (const event of client.chat.stream(body)) {
        events.push(event);
        // Once the joined stream shows text, the visitor presses Stop (sent to the process it is connected to).
        if (event.type === 'text-delta' && events.filter((seen) => seen.type === 'text-delta').length === 1) await client.sessions.stop(session.id);
      }
    })();
    await joining;
    await written.ended;
    expect(events.at(-1)).toMatchObject({ type: 'message-end', message: { status: 'stopped' } });
    expect(written.events.at(-1)!.data.message).toMatchObject({ status: 'stopped' });
    const stored = (await http.get(`/api/sessions/${session.id}/messages`, { token })).body.messages;
    expect(stored[1]).toMatchObject({ status: 'stopped', content: streamedText(written) });
    expect(stored[1].content).not.toContain(words.at(-1));
    // The joined stream showed the whole stored reply, no more and no less.
    expect(textOf(events)).toBe(stored[1].content);
  });
});
