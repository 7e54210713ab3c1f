import { SignJWT } from 'jose';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../database/connect-database.js';
import { openChatStream, streamedText } from '../testing/chat-stream-client.js';
import { fakeScenario, type FakeVendorServer, startDatabaseProxy, startFakeOpenAI, startTestServer, testDatabaseUri } from '@ai-chat/testkit';
import { httpClient } from '../testing/http-client.js';

let vendor: FakeVendorServer;
const modelsEnv = () => ({
  AI_CHAT_MODELS: JSON.stringify([{ id: 'fake', provider: 'openai-compatible', model: 'm', baseURL: vendor.baseURL, default: true }]),
  AI_CHAT_FIRST_TOKEN_TIMEOUT_MS: '1200',
  AI_CHAT_IDLE_TIMEOUT_MS: '5000',
});

beforeAll(async () => {
  vendor = await startFakeOpenAI();
});
afterAll(() => vendor.close());

describe('reply lifecycle', () => {
  it('sends `: ping` comments while the provider is silent', async () => {
    const server = await startTestServer({ env: modelsEnv(), app: { chat: { flushIntervalMs: 100, pingIntervalMs: 150 } } });
    const http = httpClient(server.url);
    const { token } = await http.createUser();
    const session = await http.createSession(token);
    vendor.enqueue(fakeScenario.hangBeforeFirstToken());
    const stream = await openChatStream(server.url, token, { sessionId: session.id, content: 'anyone there?' });
    await stream.ended;
    expect(stream.comments.filter((comment) => comment.trim() === 'ping').length).toBeGreaterThanOrEqual(3);
    expect(stream.events.at(-1)!.data.message).toMatchObject({ status: 'error', error: { type: 'provider_timeout' } });
    await server.close();
  });

  it('ends open replies as stopped, stored, when the server shuts down', async () => {
    const server = await startTestServer({ env: modelsEnv() });
    const http = httpClient(server.url);
    const { token } = await http.createUser();
    const session = await http.createSession(token);
    vendor.enqueue(fakeScenario.reply(Array.from({ length: 100 }, (_, index) => `w${index}`).join(' '), { chunkDelayMs: 30 }));
    const stream = await openChatStream(server.url, token, { sessionId: session.id, content: 'long' });
    await stream.waitFor('text-delta');
    await server.close();
    await stream.ended;
    const end = stream.events.at(-1)!;
    expect(end.event).toBe('message-end');
    expect(end.data.message.status).toBe('stopped');
    const database = await openDatabase(server.databaseUri);
    const stored = await database.models.Message.findById(end.data.message.id).lean();
    expect(stored).toMatchObject({ status: 'stopped', content: streamedText(stream) });
    const storedSession = await database.models.ChatSession.findById(session.id).lean();
    expect(storedSession?.replyLock).toBeNull();
    await database.close();
  });

  it('marks a reply whose process died as interrupted and lets the session go on', async () => {
    const server = await startTestServer({ env: modelsEnv() });
    const http = httpClient(server.url);
    const { token } = await http.createUser();
    const session = await http.createSession(token);
    const { ChatSession, Message } = server.database.models;
    const orphanId = new Types.ObjectId();
    const stored = await ChatSession.findById(session.id).lean();
    await Message.create({ _id: orphanId, sessionId: stored!._id, userId: stored!.userId, role: 'assistant', content: 'half', model: 'fake', status: 'streaming' });
    await ChatSession.updateOne({ _id: stored!._id }, { $set: { replyLock: { messageId: orphanId, expiresAt: new Date(Date.now() - 1000) } } });
    vendor.enqueue(fakeScenario.reply('fresh answer'));
    const response = await http.post('/api/chat', { token, body: { sessionId: session.id, content: 'again' } });
    expect(response.status).toBe(200);
    expect(response.body.assistantMessage.content).toBe('fresh answer');
    expect(await Message.findById(orphanId).lean()).toMatchObject({ status: 'error', error: { type: 'interrupted' }, content: 'half' });
    await server.close();
  });

  it('frees the session when the visitor signs in while a reply streams: the next message is answered, not 409', async () => {
    const server = await startTestServer({ env: modelsEnv() });
    const http = httpClient(server.url);
    const visitor = await http.createUser();
    const session = await http.createSession(visitor.token);
    vendor.enqueue(fakeScenario.reply(Array.from({ length: 20 }, (_, index) => `w${index}`).join(' '), { chunkDelayMs: 30 }));
    const stream = await openChatStream(server.url, visitor.token, { sessionId: session.id, content: 'long' });
    await stream.waitFor('text-delta');
    const userToken = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('signs-in-mid-reply').setExpirationTime('5m')
      .sign(new TextEncoder().encode(server.identitySecret));
    const identified = await http.post('/api/users/identify', { token: visitor.token, body: { userToken } });
    expect(identified.status).toBe(200);
    await stream.ended;
    expect(stream.events.at(-1)!.data.message).toMatchObject({ status: 'complete' });

    vendor.enqueue(fakeScenario.reply('next answer'));
    const next = await http.post('/api/chat', { token: identified.body.token, body: { sessionId: session.id, content: 'and now?' } });
    expect(next.status).toBe(200);
    expect(next.body.assistantMessage.content).toBe('next answer');
    const stored = await http.get(`/api/sessions/${session.id}`, { token: identified.body.token });
    expect(stored.body.session).toMatchObject({ messageCount: 4, lastMessage: { role: 'assistant', preview: 'next answer' } });
    await server.close();
  });

  it('ends a followed reply with an error event and message-end when the database fails meanwhile', async () => {
    const timing = { chat: { flushIntervalMs: 100, pingIntervalMs: 15_000 } };
    const writer = await startTestServer({ env: modelsEnv(), app: timing });
    const proxy = await startDatabaseProxy(writer.databaseUri);
    const follower = await startTestServer({ databaseUri: proxy.uri, env: modelsEnv(), app: timing });
    const http = httpClient(writer.url);
    const { token } = await http.createUser();
    const session = await http.createSession(token);
    vendor.enqueue(fakeScenario.reply(Array.from({ length: 40 }, (_, index) => `w${index}`).join(' '), { chunkDelayMs: 50 }));
    const body = { sessionId: session.id, content: 'long', clientMessageId: 'followed-1' };
    const written = await openChatStream(writer.url, token, body);
    await written.waitFor('text-delta');
    // The same clientMessageId on another process: it follows the reply through the database.
    const followed = await openChatStream(follower.url, token, body);
    await followed.waitFor('message-start');
    proxy.failCommands((command) => command.name === 'find');

    await within(10_000, followed.ended, 'the followed stream never ended (only pings would come)');
    expect(followed.events.slice(-2).map((event) => event.event)).toEqual(['error', 'message-end']);
    expect(followed.events.at(-2)!.data.error).toMatchObject({ type: 'unavailable', message: expect.any(String) });
    const assistantId = written.events[0]!.data.assistantMessage.id;
    expect(followed.events.at(-1)!.data.message).toMatchObject({ id: assistantId, status: 'error', error: { type: 'unavailable' } });
    expect(follower.logs.join('\n')).toContain('could not follow a reply');

    await written.ended;
    expect(written.events.at(-1)!.data.message).toMatchObject({ id: assistantId, status: 'complete' });
    proxy.heal();
    await follower.close();
    await proxy.close();
    await writer.close();
  });

  it('ends a reply whose end cannot be stored with an error event and message-end in status error', async () => {
    const proxy = await startDatabaseProxy(testDatabaseUri('server'));
    const server = await startTestServer({ databaseUri: proxy.uri, env: modelsEnv(), app: { chat: { flushIntervalMs: 100, pingIntervalMs: 15_000 } } });
    const http = httpClient(server.url);
    const { token } = await http.createUser();
    const session = await http.createSession(token);
    vendor.enqueue(fakeScenario.reply(Array.from({ length: 20 }, (_, index) => `w${index}`).join(' '), { chunkDelayMs: 50 }));
    const stream = await openChatStream(server.url, token, { sessionId: session.id, content: 'long' });
    await stream.waitFor('text-delta');
    // From here on the database refuses every write: the reply streams on, but its end cannot be stored.
    proxy.failCommands((command) => command.name === 'update' || command.name === 'findAndModify');

    await within(10_000, stream.ended, 'the stream never ended');
    expect(stream.events.slice(-2).map((event) => event.event)).toEqual(['error', 'message-end']);
    expect(stream.events.at(-2)!.data.error).toMatchObject({ type: 'unavailable' });
    expect(stream.events.at(-1)!.data.message).toMatchObject({ status: 'error', content: streamedText(stream) });
    expect(server.logs.join('\n')).toContain('could not store the end of a reply');
    proxy.heal();
    await server.close();
    await proxy.close();
  });

  it('ends the streams a server follows when it shuts down, while the writing server goes on', async () => {
    const timing = { chat: { flushIntervalMs: 100, pingIntervalMs: 15_000 } };
    const writer = await startTestServer({ env: modelsEnv(), app: timing });
    const follower = await startTestServer({ databaseUri: writer.databaseUri, env: modelsEnv(), app: timing });
    const http = httpClient(writer.url);
    const { token } = await http.createUser();
    const session = await http.createSession(token);
    vendor.enqueue(fakeScenario.reply(Array.from({ length: 100 }, (_, index) => `w${index}`).join(' '), { chunkDelayMs: 50 }));
    const body = { sessionId: session.id, content: 'long', clientMessageId: 'followed-2' };
    const written = await openChatStream(writer.url, token, body);
    await written.waitFor('text-delta');
    const followed = await openChatStream(follower.url, token, body);
    await followed.waitFor('message-start');

    await follower.close();
    await within(10_000, followed.ended, 'the followed stream did not end with its server');
    expect(followed.events.slice(-2).map((event) => event.event)).toEqual(['error', 'message-end']);
    expect(followed.events.at(-1)!.data.message).toMatchObject({ status: 'error', error: { type: 'unavailable' } });
    await written.ended;
    expect(written.events.at(-1)!.data.message).toMatchObject({ status: 'complete' });
    await writer.close();
  });

  it('counts open streams, time to first token, tokens and provider errors in /metrics', async () => {
    const server = await startTestServer({ env: modelsEnv() });
    const http = httpClient(server.url);
    const { token } = await http.createUser();
    const session = await http.createSession(token);
    vendor.enqueue(fakeScenario.reply('counted words here', { usage: { inputTokens: 7, outputTokens: 3 } }), fakeScenario.httpError(401));
    await http.post('/api/chat', { token, body: { sessionId: session.id, content: 'one' } });
    await http.post('/api/chat', { token, body: { sessionId: session.id, content: 'two' } });
    const metrics = (await http.get('/metrics')).text;
    expect(metrics).toMatch(/ai_chat_open_streams 0/);
    expect(metrics).toMatch(/ai_chat_time_to_first_token_seconds_count\{model="fake"\} 1/);
    expect(metrics).toMatch(/ai_chat_tokens_total\{model="fake",direction="output"\} 3/);
    expect(metrics).toMatch(/ai_chat_provider_errors_total\{model="fake",type="provider_auth"\} 1/);
    expect(metrics).toMatch(/ai_chat_replies_total\{model="fake",status="complete"\} 1/);
    await server.close();
  });
});

/** Waits for a promise, failing with `message` when it has not settled after `ms` (a bound, not a pause). */
async function within<T>(ms: number, promise: Promise<T>, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
