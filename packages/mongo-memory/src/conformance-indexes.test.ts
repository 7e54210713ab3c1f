import { ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDriver } from './testing/conformance-clients.js';

describe('conformance: indexes and duplicate keys (raw driver)', () => {
  let driver: Awaited<ReturnType<typeof openDriver>>;
  let database: Db;

  beforeAll(async () => {
    driver = await openDriver('indexes');
    database = driver.database;
  });
  afterAll(() => driver.close());

  describe('index use for a sort, as explain shows it', () => {
    // The stages of a winning plan, outermost first (MongoDB 7+ may nest the classic tree under `queryPlan`).
    const stages = (plan: Record<string, unknown> | undefined): Record<string, unknown>[] => {
      if (!plan) return [];
      const inner = (plan['queryPlan'] ?? plan['inputStage']) as Record<string, unknown> | undefined;
      const own = plan['stage'] === undefined ? [] : [plan];
      return [...own, ...stages(inner)];
    };
    const planOf = async (find: Record<string, unknown>) => {
      const explained = await database.command({ explain: { find: 'chat_sessions', ...find }, verbosity: 'queryPlanner' });
      return stages((explained['queryPlanner'] as Record<string, Record<string, unknown>>)['winningPlan']);
    };

    beforeAll(async () => {
      const sessions = database.collection('chat_sessions');
      await sessions.createIndex({ userId: 1, updatedAt: -1, _id: -1 }, { name: 'owner_recent' });
      const base = Date.UTC(2025, 0, 1);
      await sessions.insertMany(
        Array.from({ length: 60 }, (_, index) => ({ _id: new ObjectId(), userId: index % 3, updatedAt: new Date(base + (index % 20) * 1_000), title: `s${index}` })),
      );
    });

    it('walks a compound index backward for an equality prefix and the reverse of its order, with no SORT stage', async () => {
      const plan = await planOf({ filter: { userId: 1 }, sort: { updatedAt: 1, _id: 1 }, limit: 5 });
      const scan = plan.find((stage) => stage['stage'] === 'IXSCAN');
      expect(scan).toMatchObject({ indexName: 'owner_recent', direction: 'backward' });
      expect(plan.map((stage) => stage['stage'])).not.toContain('SORT');
    });

    it('walks it forward for its own order with a range on the sorted field (cursor pagination), with no SORT stage', async () => {
      const cursor = new Date(Date.UTC(2025, 0, 1) + 10_000);
      const filter = { userId: 2, $or: [{ updatedAt: { $lt: cursor } }, { updatedAt: cursor, _id: { $lt: new ObjectId() } }] };
      const plan = await planOf({ filter, sort: { updatedAt: -1, _id: -1 }, limit: 5 });
      expect(plan.find((stage) => stage['stage'] === 'IXSCAN')).toMatchObject({ indexName: 'owner_recent', direction: 'forward' });
      expect(plan.map((stage) => stage['stage'])).not.toContain('SORT');
      const found = await database.collection('chat_sessions').find(filter).sort({ updatedAt: -1, _id: -1 }).limit(5).toArray();
      expect(found.map((session) => session['updatedAt'])).toEqual([...found.map((session) => session['updatedAt'])].sort((left, right) => right - left));
      expect(found.every((session) => session['updatedAt'] < cursor || session['updatedAt'].getTime() === cursor.getTime())).toBe(true);
    });

    it('sorts in a blocking SORT stage when no index gives the order', async () => {
      const plan = await planOf({ filter: { userId: 1 }, sort: { title: 1 }, limit: 5 });
      expect(plan.map((stage) => stage['stage'])).toContain('SORT');
    });
  });

  it('rejects a duplicate _id', async () => {
    const plain = database.collection<{ _id: string }>('plain');
    await plain.insertOne({ _id: 'one' });
    await expect(plain.insertOne({ _id: 'one' })).rejects.toMatchObject({ code: 11000, keyValue: { _id: 'one' } });
  });

  it('stops an ordered insertMany at the first duplicate and reports it as a write error', async () => {
    const users = database.collection('users');
    await users.createIndex({ email: 1 }, { unique: true });
    type BulkFailure = { code: number; writeErrors: { index: number; code: number }[] };
    const failure = (await users
      .insertMany([{ email: 'a' }, { email: 'b' }, { email: 'a' }, { email: 'c' }])
      .then(() => undefined, (error: unknown) => error)) as BulkFailure;
    expect(failure).toMatchObject({ code: 11000 });
    expect(failure.writeErrors).toHaveLength(1);
    expect(failure.writeErrors[0]).toMatchObject({ index: 2, code: 11000 });
    expect(await users.countDocuments()).toBe(2);
  });

  it('continues an unordered insertMany past duplicates', async () => {
    const tags = database.collection('tags');
    await tags.createIndex({ name: 1 }, { unique: true });
    await expect(tags.insertMany([{ name: 'x' }, { name: 'x' }, { name: 'y' }], { ordered: false })).rejects.toMatchObject({ code: 11000 });
    expect(await tags.countDocuments()).toBe(2);
  });

  it('enforces a compound unique index on the combination only', async () => {
    const members = database.collection('members');
    await members.createIndex({ teamId: 1, userId: 1 }, { unique: true });
    await members.insertMany([{ teamId: 1, userId: 1 }, { teamId: 1, userId: 2 }, { teamId: 2, userId: 1 }]);
    const failure = await members.insertOne({ teamId: 1, userId: 2 }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 11000, keyPattern: { teamId: 1, userId: 1 }, keyValue: { teamId: 1, userId: 2 } });
  });

  it('enforces a partial unique index only where its filter matches', async () => {
    const messages = database.collection('messages');
    await messages.createIndex(
      { sessionId: 1, clientMessageId: 1 },
      { unique: true, partialFilterExpression: { clientMessageId: { $exists: true } } },
    );
    await messages.insertMany([{ sessionId: 1 }, { sessionId: 1 }, { sessionId: 1, clientMessageId: 'm1' }, { sessionId: 2, clientMessageId: 'm1' }]);
    await expect(messages.insertOne({ sessionId: 1, clientMessageId: 'm1' })).rejects.toMatchObject({ code: 11000 });
    const typed = database.collection('typed');
    await typed.createIndex({ handle: 1 }, { unique: true, partialFilterExpression: { handle: { $type: 'string' } } });
    await typed.insertMany([{ handle: null }, { handle: null }, { handle: 'ada' }]);
    await expect(typed.insertOne({ handle: 'ada' })).rejects.toMatchObject({ code: 11000 });
    expect(await messages.countDocuments()).toBe(4);
    const owned = database.collection('owned');
    await owned.createIndex({ ownerId: 1 }, { unique: true, partialFilterExpression: { ownerId: { $type: 'objectId' } } });
    const ownerId = new ObjectId();
    await owned.insertMany([{ ownerId: 'legacy' }, { ownerId: 'legacy' }, { ownerId }]);
    await expect(owned.insertOne({ ownerId: new ObjectId(ownerId.toHexString()) })).rejects.toMatchObject({ code: 11000 });
    expect(await owned.countDocuments({ ownerId: { $type: 'objectId' } })).toBe(1);
  });

  it('enforces unique indexes on update, upsert and findOneAndUpdate, leaving data unchanged', async () => {
    const accounts = database.collection('accounts');
    await accounts.createIndex({ handle: 1 }, { unique: true });
    await accounts.insertMany([{ handle: 'a', n: 1 }, { handle: 'b', n: 2 }]);
    await expect(accounts.updateOne({ handle: 'b' }, { $set: { handle: 'a' } })).rejects.toMatchObject({ code: 11000 });
    await expect(accounts.updateOne({ n: 3 }, { $set: { handle: 'a' } }, { upsert: true })).rejects.toMatchObject({ code: 11000 });
    await expect(accounts.findOneAndUpdate({ handle: 'b' }, { $set: { handle: 'a' } })).rejects.toMatchObject({ code: 11000 });
    await expect(accounts.replaceOne({ handle: 'b' }, { handle: 'a' })).rejects.toMatchObject({ code: 11000 });
    expect(await accounts.find({}, { projection: { _id: 0 } }).sort({ n: 1 }).toArray()).toEqual([
      { handle: 'a', n: 1 },
      { handle: 'b', n: 2 },
    ]);
    await accounts.updateOne({ handle: 'b' }, { $set: { handle: 'c' } });
    await accounts.insertOne({ handle: 'b' });
    expect(await accounts.countDocuments()).toBe(3);
  });

  it('refuses to create a unique index over existing duplicates', async () => {
    const loose = database.collection('loose');
    await loose.insertMany([{ code: 1 }, { code: 1 }]);
    await expect(loose.createIndex({ code: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
    expect((await loose.listIndexes().toArray()).map((index) => index['name'])).toEqual(['_id_']);
  });

  it('lists created indexes with their options and drops them', async () => {
    const sessions = database.collection('sessions');
    await sessions.createIndex({ userId: 1, updatedAt: -1, _id: -1 });
    await sessions.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 3600 });
    await sessions.createIndex({ slug: 1 }, { unique: true, name: 'slug_unique', partialFilterExpression: { slug: { $exists: true } } });
    const indexes = await sessions.listIndexes().toArray();
    expect(indexes).toEqual([
      { v: 2, key: { _id: 1 }, name: '_id_' },
      { v: 2, key: { userId: 1, updatedAt: -1, _id: -1 }, name: 'userId_1_updatedAt_-1__id_-1' },
      { v: 2, key: { expiresAt: 1 }, name: 'expiresAt_1', expireAfterSeconds: 3600 },
      { v: 2, key: { slug: 1 }, name: 'slug_unique', unique: true, partialFilterExpression: { slug: { $exists: true } } },
    ]);
    await sessions.dropIndex('slug_unique');
    await sessions.insertMany([{ slug: 'same' }, { slug: 'same' }]);
    await sessions.dropIndexes();
    expect((await sessions.listIndexes().toArray()).map((index) => index['name'])).toEqual(['_id_']);
  });

  it('reports NamespaceNotFound when listing the indexes of a missing collection', async () => {
    await expect(database.collection('missing').listIndexes().toArray()).rejects.toMatchObject({ code: 26, codeName: 'NamespaceNotFound' });
  });

  it('finds the same documents through a non-unique index as by a scan, after inserts, updates and deletes', async () => {
    const indexed = database.collection('indexed_messages');
    const scanned = database.collection('scanned_messages');
    await indexed.createIndex({ sessionId: 1, createdAt: 1 });
    await indexed.createIndex({ tags: 1 });
    const sessions = [new ObjectId(), new ObjectId(), new ObjectId()];
    const documents = Array.from({ length: 60 }, (_, n) => ({
      n,
      sessionId: sessions[n % 3],
      createdAt: new Date(Date.UTC(2025, 0, 1, 0, n)),
      tags: n % 4 === 0 ? ['a', 'b'] : n % 4 === 1 ? 'a' : n % 4 === 2 ? [] : null,
    }));
    for (const collection of [indexed, scanned]) {
      await collection.insertMany(documents.map((document) => ({ ...document })));
      await collection.updateMany({ n: { $in: [3, 4, 5] } }, { $set: { sessionId: sessions[0] } });
      await collection.updateMany({ n: { $lt: 10 } }, { $set: { tags: 'b' } });
      await collection.deleteMany({ n: { $in: [6, 7, 30] } });
      await collection.insertOne({ n: 100, sessionId: sessions[1], createdAt: new Date(0), tags: ['c', 'a'] });
    }
    const filters: Record<string, unknown>[] = [
      { sessionId: sessions[0] },
      { sessionId: sessions[1], createdAt: { $gte: new Date(Date.UTC(2025, 0, 1, 0, 30)) } },
      { sessionId: { $in: [sessions[1], sessions[2]] }, n: { $lt: 20 } },
      { sessionId: new ObjectId() },
      { tags: 'a' },
      { tags: { $in: ['b', 'c'] } },
      { tags: null },
      { tags: [] },
    ];
    for (const filter of filters) {
      const [throughIndex, byScan] = await Promise.all(
        [indexed, scanned].map(async (collection) => (await collection.find(filter).sort({ n: 1 }).toArray()).map((document) => document['n'])),
      );
      expect(throughIndex, JSON.stringify(filter)).toEqual(byScan);
    }
    expect((await indexed.find({ sessionId: sessions[0] }).sort({ n: 1 }).toArray()).map((document) => document['n'])).toEqual([
      0, 3, 4, 5, 9, 12, 15, 18, 21, 24, 27, 33, 36, 39, 42, 45, 48, 51, 54, 57,
    ]);
  });

  it('finds by a unique key among 10,000 documents', async () => {
    const big = database.collection('big');
    await big.createIndex({ key: 1 }, { unique: true });
    await big.insertMany(Array.from({ length: 10_000 }, (_, index) => ({ key: `k${index}`, index })));
    expect(await big.findOne({ key: 'k9876' }, { projection: { _id: 0 } })).toEqual({ key: 'k9876', index: 9876 });
    await expect(big.insertOne({ key: 'k5000' })).rejects.toMatchObject({ code: 11000 });
    expect(await big.countDocuments({ index: { $gte: 9_990 } })).toBe(10);
  });
});
