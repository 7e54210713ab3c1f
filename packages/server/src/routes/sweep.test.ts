import { setTimeout as delay } from 'node:timers/promises';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@ai-chat/testkit';
import { httpClient } from '../testing/http-client.js';

let first: TestServer;
let second: TestServer;

beforeAll(async () => {
  // Two processes sweeping the same database, with a short lock so that they sweep often.
  first = await startTestServer({ env: { REPLY_LOCK_TTL_MS: '1000' } });
  second = await startTestServer({ databaseUri: first.databaseUri, env: { REPLY_LOCK_TTL_MS: '1000' } });
});
afterAll(async () => {
  await second.close();
  await first.close();
});

/** Waits until `isDone` holds, looking again every 50 ms. */
async function until(isDone: () => Promise<boolean>): Promise<void> {
  while (!(await isDone())) await delay(50);
}

/** Stores a reply left `streaming` by a writer, unchanged for a minute, with its session's lock as given. */
async function storeStreamingReply(userId: Types.ObjectId, lockExpiresAt: Date | null) {
  const { ChatSession, Message } = first.database.models;
  const sessionId = new Types.ObjectId();
  const replyId = new Types.ObjectId();
  const aMinuteAgo = new Date(Date.now() - 60_000);
  const replyLock = lockExpiresAt ? { messageId: replyId, expiresAt: lockExpiresAt } : null;
  await ChatSession.collection.insertOne({ _id: sessionId, userId, title: 'Sweep me', titleSource: 'user', model: 'demo', messageCount: 2, lastMessage: null, replyLock, createdAt: aMinuteAgo, updatedAt: aMinuteAgo });
  await Message.collection.insertMany([
    { sessionId, userId, role: 'user', content: 'hello?', model: null, status: 'complete', createdAt: aMinuteAgo, updatedAt: aMinuteAgo },
    { _id: replyId, sessionId, userId, role: 'assistant', content: 'half a re', model: 'demo', status: 'streaming', createdAt: aMinuteAgo, updatedAt: aMinuteAgo },
  ]);
  return { sessionId, replyId };
}

/** Stores a finished exchange (a visitor's message and its complete reply) in a session, as a chat leaves it. */
async function storeExchange(userId: string, sessionId: string, content: string): Promise<void> {
  const { Message } = first.database.models;
  const now = new Date();
  const owner = { sessionId: new Types.ObjectId(sessionId), userId: new Types.ObjectId(userId), createdAt: now, updatedAt: now };
  await Message.collection.insertMany([
    { ...owner, role: 'user', content, model: null, status: 'complete' },
    { ...owner, role: 'assistant', content: 'a reply', model: 'demo', status: 'complete' },
  ]);
  expect(await Message.countDocuments({ sessionId: owner.sessionId })).toBe(2);
}

function sweptLines(): number {
  return [first, second].flatMap((server) => server.logs).filter((line) => line.includes('marked a reply whose writer went away')).length;
}

describe('the sweep of every server process', () => {
  it('ends each reply whose writer went away as interrupted, once, and leaves a reply whose lock is held alone', async () => {
    const { Message } = first.database.models;
    const userId = new Types.ObjectId();
    const before = sweptLines();
    const lapsed = await Promise.all(Array.from({ length: 10 }, () => storeStreamingReply(userId, new Date(Date.now() - 30_000))));
    const unlocked = await Promise.all(Array.from({ length: 10 }, () => storeStreamingReply(userId, null)));
    // Silent for a minute, but its writer (another process) still renews its lock: it is being written.
    const held = await storeStreamingReply(userId, new Date(Date.now() + 120_000));
    const orphans = [...lapsed, ...unlocked].map((reply) => reply.replyId);

    await until(async () => (await Message.countDocuments({ _id: { $in: orphans }, status: 'streaming' })) === 0);
    const ended = await Message.find({ _id: { $in: orphans } }).lean();
    expect(ended.every((reply) => reply.status === 'error' && reply.error?.type === 'interrupted' && reply.content === 'half a re')).toBe(true);
    // Two processes swept the same replies: each was marked by one of them only.
    expect(sweptLines() - before).toBe(orphans.length);
    expect((await Message.findById(held.replyId).lean())?.status).toBe('streaming');
  });

  it('finishes erases whose process went away, of a session and of a user', async () => {
    const { AccessToken, ChatSession, Message, User } = first.database.models;
    const http = httpClient(first.url);
    const longAgo = new Date(Date.now() - 60_000);
    // A session whose erase began a minute ago and never finished (its process died between the mark and the deletes).
    const visitor = await http.createUser();
    const session = await http.createSession(visitor.token);
    // Messages stored as a finished exchange leaves them (not through POST /api/chat: with this test's one-second lock,
    // a reply on a loaded machine can lose its lock before it ends, which is not what this test is about).
    await storeExchange(visitor.id, session.id, 'keep me?');
    await ChatSession.updateOne({ _id: session.id }, { $set: { erasingSince: longAgo } });
    expect((await http.get(`/api/sessions/${session.id}`, { token: visitor.token })).status).toBe(404);
    // A user whose erase began a minute ago and never finished.
    const erased = await http.createUser();
    const erasedSession = await http.createSession(erased.token);
    await storeExchange(erased.id, erasedSession.id, 'and me?');
    await User.updateOne({ _id: erased.id }, { $set: { erasingSince: longAgo } });

    const erasedId = new Types.ObjectId(erased.id);
    await until(async () => (await ChatSession.countDocuments({ _id: session.id })) + (await User.countDocuments({ _id: erasedId })) === 0);
    expect(await Message.countDocuments({ sessionId: new Types.ObjectId(session.id) })).toBe(0);
    expect(await Message.countDocuments({ userId: erasedId })).toBe(0);
    expect(await ChatSession.countDocuments({ userId: erasedId })).toBe(0);
    expect(await AccessToken.countDocuments({ userId: erasedId })).toBe(0);
    // The visitor itself is untouched: only the session it erased is gone.
    expect((await http.get('/api/users/me', { token: visitor.token })).status).toBe(200);
  });
});
