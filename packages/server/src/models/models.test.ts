import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUri } from '@ai-chat/testkit';
import { openDatabase, type Database } from '../database/connect-database.js';
import { toMessage, toSessionSummary, toUser } from './index.js';

let database: Omit<Database, 'found'>;

beforeAll(async () => {
  database = await openDatabase(testDatabaseUri('models'), { serverSelectionTimeoutMS: 5000 });
});
afterAll(() => database.close());

describe('database layer', () => {
  it('builds the indexes of every collection at start-up', async () => {
    const db = database.connection.db!;
    const indexes = async (collection: string) =>
      Object.fromEntries((await db.collection(collection).listIndexes().toArray()).map((index) => [index.name, index]));
    const users = await indexes('users');
    expect(users.legacy_tokenHash).toMatchObject({ key: { tokenHash: 1 }, unique: true, partialFilterExpression: { tokenHash: { $exists: true } } });
    expect(users.externalId_unique).toMatchObject({ key: { externalId: 1 }, unique: true, partialFilterExpression: { externalId: { $exists: true } } });
    const sessions = await indexes('chat_sessions');
    expect(sessions.owner_recent).toMatchObject({ key: { userId: 1, updatedAt: -1, _id: -1 } });
    const tokens = await indexes('access_tokens');
    expect(tokens.tokenHash_unique).toMatchObject({ key: { tokenHash: 1 }, unique: true });
    expect(tokens.owner_expiry).toMatchObject({ key: { userId: 1, expiresAt: -1 } });
    expect(tokens.expiry_ttl).toMatchObject({ key: { expiresAt: 1 }, expireAfterSeconds: 0 });
    const messages = await indexes('messages');
    expect(messages.session_history).toMatchObject({ key: { sessionId: 1, createdAt: 1, _id: 1 } });
    expect(messages.session_clientMessageId_unique).toMatchObject({
      key: { sessionId: 1, clientMessageId: 1 },
      unique: true,
      partialFilterExpression: { clientMessageId: { $exists: true } },
    });
  });

  it('drops the users index of 0.1.0 that required a token on every user, keeping the users', async () => {
    const uri = testDatabaseUri('models_upgrade');
    const old = await openDatabase(uri, { serverSelectionTimeoutMS: 5000 });
    const users = old.connection.db!.collection('users');
    await users.dropIndex('legacy_tokenHash');
    await users.createIndex({ tokenHash: 1 }, { unique: true, name: 'tokenHash_unique' });
    await users.insertOne({ kind: 'anonymous', tokenHash: 'hash-of-0.1.0', createdAt: new Date(), updatedAt: new Date() });
    await old.close();

    const upgraded = await openDatabase(uri, { serverSelectionTimeoutMS: 5000 });
    const names = (await upgraded.connection.db!.collection('users').listIndexes().toArray()).map((index) => index.name);
    expect(names).not.toContain('tokenHash_unique');
    await upgraded.models.User.create({ kind: 'anonymous' });
    await upgraded.models.User.create({ kind: 'anonymous' });
    expect(await upgraded.models.User.countDocuments({ tokenHash: 'hash-of-0.1.0' })).toBe(1);
    await upgraded.close();
  });

  it('refuses a duplicate identity', async () => {
    const { User } = database.models;
    await User.create({ kind: 'identified', tokenHash: 'hash-a', externalId: 'host-42' });
    await expect(User.create({ kind: 'identified', tokenHash: 'hash-b', externalId: 'host-42' })).rejects.toMatchObject({ code: 11000 });
    await expect(User.create({ kind: 'anonymous', tokenHash: 'hash-a' })).rejects.toMatchObject({ code: 11000 });
    // Anonymous users have no externalId: the partial index lets any number of them exist.
    await User.create({ kind: 'anonymous', tokenHash: 'hash-c' });
    await User.create({ kind: 'anonymous', tokenHash: 'hash-d' });
    expect(await User.countDocuments({ externalId: 'host-42' })).toBe(1);
  });

  it('refuses a duplicate clientMessageId in one session and allows it in two', async () => {
    const { Message } = database.models;
    const userId = new Types.ObjectId();
    const [first, second] = [new Types.ObjectId(), new Types.ObjectId()];
    const base = { userId, role: 'user', content: 'hi', status: 'complete' } as const;
    await Message.create({ ...base, sessionId: first, clientMessageId: 'client-1' });
    await expect(Message.create({ ...base, sessionId: first, clientMessageId: 'client-1' })).rejects.toMatchObject({
      code: 11000,
      keyValue: { sessionId: first, clientMessageId: 'client-1' },
    });
    await Message.create({ ...base, sessionId: second, clientMessageId: 'client-1' });
    // Messages without a clientMessageId (assistant replies) never collide.
    await Message.create({ ...base, sessionId: first, role: 'assistant' });
    await Message.create({ ...base, sessionId: first, role: 'assistant' });
    expect(await Message.countDocuments({ sessionId: first })).toBe(3);
  });

  it('maps each record to the contract shape in one place', async () => {
    const { User, ChatSession, Message } = database.models;
    const user = await User.create({ kind: 'anonymous', tokenHash: 'hash-map' });
    expect(toUser(user)).toEqual({ id: user._id.toHexString(), kind: 'anonymous', externalId: null, createdAt: user.createdAt.toISOString() });
    const session = await ChatSession.create({ userId: user._id, title: 'T', model: 'demo' });
    expect(toSessionSummary(session.toObject())).toEqual({
      id: session._id.toHexString(),
      title: 'T',
      model: 'demo',
      messageCount: 0,
      lastMessage: null,
      createdAt: session.createdAt.toISOString(),
      updatedAt: session.updatedAt.toISOString(),
    });
    const message = await Message.create({ sessionId: session._id, userId: user._id, role: 'assistant', content: 'x', model: 'demo', status: 'error', error: { type: 'provider_timeout', message: 'late' } });
    expect(toMessage(message.toObject())).toEqual({
      id: message._id.toHexString(),
      sessionId: session._id.toHexString(),
      role: 'assistant',
      content: 'x',
      model: 'demo',
      status: 'error',
      error: { type: 'provider_timeout', message: 'late' },
      createdAt: message.createdAt.toISOString(),
    });
  });
});
