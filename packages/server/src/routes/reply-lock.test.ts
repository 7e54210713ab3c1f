import { setTimeout as delay } from 'node:timers/promises';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScenario, startDatabaseProxy, startFakeOpenAI, startTestServer, testDatabaseUri, type FakeVendorServer, type TestServer } from '@ai-chat/testkit';
import { openChatStream, streamedText } from '../testing/chat-stream-client.js';
import { httpClient } from '../testing/http-client.js';

/** A short lock, so that losing it shows within moments; the reply below lasts several lifetimes of it. */
const LOCK_TTL_MS = '1500';
const WORDS = Array.from({ length: 120 }, (_, index) => `word${index}`);

let vendor: FakeVendorServer;
const env = () => ({
  AI_CHAT_MODELS: JSON.stringify([{ id: 'fake', provider: 'openai-compatible', model: 'm', baseURL: vendor.baseURL, default: true }]),
  REPLY_LOCK_TTL_MS: LOCK_TTL_MS,
});

beforeAll(async () => {
  vendor = await startFakeOpenAI();
});
afterAll(() => vendor.close());

/** Waits until the server writes no reply any more (its `ai_chat_open_streams` gauge is 0). */
async function untilNoReplyIsWritten(server: TestServer): Promise<void> {
  while (!/ai_chat_open_streams 0\b/.test((await httpClient(server.url).get('/metrics')).text)) await delay(20);
}

/** Waits until `read` gives something, looking again every 50 ms. */
async function until<T>(read: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    await delay(50);
  }
}

describe('a reply whose server process loses its session lock', () => {
  it('ends as interrupted as soon as it finds the lock taken, and writes nothing more', async () => {
    const server = await startTestServer({ env: env() });
    const http = httpClient(server.url);
    const { token } = await http.createUser();
    const session = await http.createSession(token);
    vendor.enqueue(fakeScenario.reply(WORDS.join(' '), { chunkDelayMs: 40 }));
    const stream = await openChatStream(server.url, token, { sessionId: session.id, content: 'a long answer, please' });
    await stream.waitFor('text-delta');
    // Another process took the lock (as it may once a lock lapsed, e.g. after a long pause of this one).
    const { ChatSession, Message } = server.database.models;
    await ChatSession.updateOne({ _id: session.id }, { $set: { replyLock: { messageId: new Types.ObjectId(), expiresAt: new Date(Date.now() + 60_000) } } });

    await stream.ended;
    expect(stream.events.slice(-2).map((event) => event.event)).toEqual(['error', 'message-end']);
    expect(stream.events.at(-1)!.data.message).toMatchObject({ status: 'error', error: { type: 'interrupted' } });
    expect(streamedText(stream)).not.toContain(WORDS.at(-1));
    await untilNoReplyIsWritten(server);
    const replyId = stream.events[0]!.data.assistantMessage.id;
    const stored = await Message.findById(replyId).lean();
    // Nothing of the reply's end was written: not its status, not the text it had not saved yet.
    expect(stored?.status).not.toBe('complete');
    expect(stored?.content).not.toContain(WORDS.at(-1));
    expect(server.logs.join('\n')).toContain('its lock was taken');
    // The sweep stores what the readers were told: the reply (its lock another's) ends as interrupted.
    const swept = await until(async () => {
      const reply = await Message.findById(replyId).lean();
      return reply?.status === 'streaming' ? undefined : reply;
    });
    expect(swept).toMatchObject({ status: 'error', error: { type: 'interrupted' } });
    expect(swept?.content).not.toContain(WORDS.at(-1));
    await server.close();
  });

  it('stops before its lock lapses when the database refuses the renewals, so a second reply never overlaps it', async () => {
    const databaseUri = testDatabaseUri('server');
    const proxy = await startDatabaseProxy(databaseUri);
    const writer = await startTestServer({ databaseUri: proxy.uri, env: env() });
    const other = await startTestServer({ databaseUri, env: env() });
    const http = httpClient(other.url);
    const { token } = await http.createUser();
    const session = await http.createSession(token);
    vendor.enqueue(fakeScenario.reply(WORDS.join(' '), { chunkDelayMs: 40 }));
    const stream = await openChatStream(writer.url, token, { sessionId: session.id, content: 'a long answer, please', clientMessageId: 'first' });
    await stream.waitFor('text-delta');
    // The writer's database stops answering (its connection's heartbeats still pass, so the driver keeps trying).
    proxy.failCommands((command) => !['hello', 'ismaster', 'isMaster'].includes(command.name));

    await stream.ended;
    expect(stream.events.slice(-2).map((event) => event.event)).toEqual(['error', 'message-end']);
    expect(stream.events.at(-1)!.data.message).toMatchObject({ status: 'error', error: { type: 'interrupted' } });
    expect(streamedText(stream)).not.toContain(WORDS.at(-1));
    await untilNoReplyIsWritten(writer);
    // The writer's database comes back: had the writer gone on, its next writes would land now.
    proxy.heal();

    // Another process can start a reply once the lock lapsed; it marks the one before as interrupted.
    vendor.enqueue(fakeScenario.reply('the second reply'));
    const second = await until(async () => {
      const response = await http.post('/api/chat', { token, body: { sessionId: session.id, content: 'and now?', clientMessageId: 'second' } });
      return response.status === 409 ? undefined : response;
    });
    expect(second.status).toBe(200);
    expect(second.body.assistantMessage).toMatchObject({ status: 'complete', content: 'the second reply' });
    const messages = (await http.get(`/api/sessions/${session.id}/messages`, { token })).body.messages;
    expect(messages.map((message: { role: string; status: string }) => [message.role, message.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'error'],
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(messages[1]).toMatchObject({ error: { type: 'interrupted' } });
    expect(messages[1].content).not.toContain(WORDS.at(-1));
    expect(writer.logs.join('\n')).toContain('its lock could not be renewed in time');
    await writer.close();
    await other.close();
    await proxy.close();
  });
});
