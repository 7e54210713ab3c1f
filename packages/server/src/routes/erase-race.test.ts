import { setTimeout as delay } from 'node:timers/promises';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScenario, startFakeOpenAI, startTestServer, type FakeVendorServer, type TestServer } from '@ai-chat/testkit';
import { openChatStream, streamedText } from '../testing/chat-stream-client.js';
import { httpClient } from '../testing/http-client.js';

const TRIES = 100;

let vendor: FakeVendorServer;
let writer: TestServer;
let twin: TestServer;

beforeAll(async () => {
  vendor = await startFakeOpenAI();
  const env = {
    AI_CHAT_DEMO_DELAY_MS: '1',
    AI_CHAT_MODELS: JSON.stringify([{ id: 'slow', provider: 'openai-compatible', model: 'm', baseURL: vendor.baseURL }]),
    AI_CHAT_DEFAULT_MODEL: 'demo',
  };
  // Two processes on one database: the chat goes to the writer, every other try's erase to the twin.
  writer = await startTestServer({ env });
  twin = await startTestServer({ databaseUri: writer.databaseUri, env });
});
afterAll(async () => {
  await twin.close();
  await writer.close();
  await vendor.close();
});

/** What is still stored of an erased session or user, counted in the database itself. */
async function leftoversOf(where: { sessionId?: string; userId?: string }): Promise<number> {
  const { User, ChatSession, Message } = writer.database.models;
  if (where.sessionId) {
    const sessionId = new Types.ObjectId(where.sessionId);
    return (await Message.countDocuments({ sessionId })) + (await ChatSession.countDocuments({ _id: sessionId }));
  }
  const userId = new Types.ObjectId(where.userId);
  return (await Message.countDocuments({ userId })) + (await ChatSession.countDocuments({ userId })) + (await User.countDocuments({ _id: userId }));
}

/** Waits until neither server writes a reply any more (the race's reply, if any, has ended and stored its end). */
async function waitUntilNoReplyIsWritten(): Promise<void> {
  for (;;) {
    const counts = await Promise.all([writer, twin].map(async (server) => (await httpClient(server.url).get('/metrics')).text));
    if (counts.every((text) => /ai_chat_open_streams 0\b/.test(text))) return;
    await delay(20);
  }
}

/**
 * Sends a message and erases the session or the user, one of them 0 to 3 ms after the other (so that the erase lands
 * anywhere in the chat's first writes); then, once no reply is being written, counts what is left of what the 204
 * said was erased.
 */
async function raceEraseWithChat(kind: 'session' | 'user', attempt: number): Promise<{ erased: boolean; leftovers: number; chat: string }> {
  const http = httpClient(writer.url);
  const eraser = httpClient(attempt % 2 === 0 ? writer.url : twin.url);
  const { token, id: userId } = await http.createUser();
  const session = await http.createSession(token);
  const send = () => http.post('/api/chat', { token, body: { sessionId: session.id, content: `race ${attempt}`, clientMessageId: `race-${attempt}` } });
  const eraseIt = () => eraser.delete(kind === 'session' ? `/api/sessions/${session.id}` : '/api/users/me', { token });
  // Half of the tries send first, half erase first, each time with the other request 0 to 3 ms behind.
  const offset = delay(attempt % 4);
  const [answer, erase] = attempt % 8 < 4 ? await Promise.all([send(), offset.then(eraseIt)]) : await Promise.all([offset.then(send), eraseIt()]);
  await waitUntilNoReplyIsWritten();
  const leftovers = await leftoversOf(kind === 'session' ? { sessionId: session.id } : { userId });
  // How the chat came out tells which interleaving the race hit: refused before it stored anything, or stopped.
  const outcome = answer.status === 200 ? `200 ${answer.body.assistantMessage.status}` : String(answer.status);
  return { erased: erase.status === 204, leftovers, chat: outcome };
}

describe('an erase racing a message (two server processes on one database)', () => {
  for (const kind of ['session', 'user'] as const) {
    it(`leaves nothing of an erased ${kind} in ${TRIES} races, however the writes interleave`, async () => {
      let racesWithLeftovers = 0;
      const chats = new Map<string, number>();
      for (let attempt = 0; attempt < TRIES; attempt++) {
        const { erased, leftovers, chat } = await raceEraseWithChat(kind, attempt);
        expect(erased).toBe(true);
        if (leftovers > 0) racesWithLeftovers++;
        chats.set(chat, (chats.get(chat) ?? 0) + 1);
      }
      const answers = [...chats].map(([outcome, count]) => `${outcome}: ${count}`).join(', ');
      console.log(`[erase race] ${kind}: ${racesWithLeftovers} of ${TRIES} races left messages or sessions behind (chat answers: ${answers})`);
      expect(racesWithLeftovers).toBe(0);
    }, 240_000);
  }
});

describe('a session created while its user is being erased', () => {
  it('is taken back: 401, and nothing stored', async () => {
    const http = httpClient(writer.url);
    const { token, id: userId } = await http.createUser();
    // The erase has begun (the user is marked) but has not revoked the token yet: a request already past its
    // authentication creates a session now.
    await writer.database.models.User.updateOne({ _id: userId }, { $set: { erasingSince: new Date() } });
    const created = await http.post('/api/sessions', { token, body: {} });
    expect(created.status).toBe(401);
    expect(await writer.database.models.ChatSession.countDocuments({ userId: new Types.ObjectId(userId) })).toBe(0);
  });
});

describe('an erase while a reply streams on another server process', () => {
  const words = Array.from({ length: 100 }, (_, index) => `word${index}`);

  for (const kind of ['session', 'user'] as const) {
    it(`stops the reply and answers 204 only once nothing of the ${kind} is stored`, async () => {
      const http = httpClient(writer.url);
      const { token, id: userId } = await http.createUser();
      const session = await http.createSession(token, { model: 'slow' });
      vendor.enqueue(fakeScenario.reply(words.join(' '), { chunkDelayMs: 40 }));
      const stream = await openChatStream(writer.url, token, { sessionId: session.id, content: 'a long answer, please' });
      await stream.waitFor('text-delta');

      const erase = await httpClient(twin.url).delete(kind === 'session' ? `/api/sessions/${session.id}` : '/api/users/me', { token });
      expect(erase.status).toBe(204);
      const where = kind === 'session' ? { sessionId: session.id } : { userId };
      // At the moment of the 204, not later: nothing is stored.
      expect(await leftoversOf(where)).toBe(0);
      await stream.ended;
      expect(stream.events.at(-1)).toMatchObject({ event: 'message-end', data: { message: { status: 'stopped' } } });
      expect(streamedText(stream)).not.toContain(words.at(-1));
      await waitUntilNoReplyIsWritten();
      expect(await leftoversOf(where)).toBe(0);
    });
  }
});
