import { SignJWT } from 'jose';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../database/connect-database.js';
import { openChatStream, streamedText } from '../testing/chat-stream-client.js';
import { fakeScenario, type FakeVendorServer, startFakeOpenAI, startTestServer } from '@ai-chat/testkit';
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
