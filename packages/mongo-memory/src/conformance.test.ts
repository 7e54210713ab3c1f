import { ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDriver } from './testing/conformance-clients.js';

// The same scenarios run on the in-process engine by default and on a real MongoDB when MONGODB_URI is set.
describe('conformance: CRUD, operators, projections, sorting and cursors (raw driver)', () => {
  let driver: Awaited<ReturnType<typeof openDriver>>;
  let database: Db;

  beforeAll(async () => {
    driver = await openDriver('crud');
    database = driver.database;
  });
  afterAll(() => driver.close());

  it('inserts, finds, updates and deletes documents', async () => {
    const items = database.collection('items');
    const { insertedIds } = await items.insertMany([{ name: 'a', n: 1 }, { name: 'b', n: 2 }, { name: 'c', n: 3 }]);
    expect(await items.findOne({ _id: insertedIds[1] })).toMatchObject({ name: 'b', n: 2 });
    await items.updateOne({ name: 'a' }, { $inc: { n: 10 }, $set: { tag: 'x' } });
    expect(await items.findOne({ name: 'a' }, { projection: { _id: 0 } })).toEqual({ name: 'a', n: 11, tag: 'x' });
    const deleted = await items.deleteOne({ n: { $lte: 2 } });
    expect(deleted.deletedCount).toBe(1);
    expect(await items.find({}, { projection: { _id: 0, name: 1 } }).toArray()).toEqual([{ name: 'a' }, { name: 'c' }]);
  });

  it('applies $inc, $set, $push, $pull, $unset and $addToSet', async () => {
    const lists = database.collection<{ count: number; tags: string[]; meta: Record<string, unknown> }>('lists');
    const { insertedId } = await lists.insertOne({ count: 1, tags: ['a'], meta: { keep: true, drop: 1 } });
    await lists.updateOne({ _id: insertedId }, { $inc: { count: 2 }, $push: { tags: { $each: ['b', 'c'] } }, $set: { 'meta.added': 'yes' } });
    await lists.updateOne({ _id: insertedId }, { $pull: { tags: 'a' }, $unset: { 'meta.drop': '' } });
    await lists.updateOne({ _id: insertedId }, { $addToSet: { tags: 'b' } });
    expect(await lists.findOne({ _id: insertedId }, { projection: { _id: 0 } })).toEqual({
      count: 3,
      tags: ['b', 'c'],
      meta: { keep: true, added: 'yes' },
    });
  });

  it('applies $push modifiers ($each, $sort, $slice) to new and existing arrays', async () => {
    const boards = database.collection<{ name: string; top?: number[] }>('boards');
    await boards.insertOne({ name: 'weekly' });
    await boards.updateOne({ name: 'weekly' }, { $push: { top: { $each: [5, 1, 9], $sort: -1, $slice: 2 } } });
    expect((await boards.findOne({ name: 'weekly' }))?.top).toEqual([9, 5]);
    await boards.updateOne({ name: 'weekly' }, { $push: { top: { $each: [7], $sort: 1 } } });
    expect((await boards.findOne({ name: 'weekly' }))?.top).toEqual([5, 7, 9]);
  });

  it('rejects a filter with an unknown operator as BadValue', async () => {
    await expect(database.collection('anything').find({ a: { $noSuchOperator: 1 } }).toArray()).rejects.toMatchObject({ code: 2 });
  });

  it('updates many documents and reports matched and modified counts', async () => {
    const flags = database.collection('flags');
    await flags.insertMany([{ on: false }, { on: false }, { on: true }]);
    const result = await flags.updateMany({}, { $set: { on: true } });
    expect(result).toMatchObject({ matchedCount: 3, modifiedCount: 2 });
    expect(await flags.countDocuments({ on: true })).toBe(3);
  });

  it('refuses two operators on one path (40) and unknown modifiers (9), and counts a no-op update as unmodified', async () => {
    const notes = database.collection('notes');
    const { insertedId } = await notes.insertOne({ n: 1, meta: { a: 1 } });
    await expect(notes.updateOne({ _id: insertedId }, { $set: { n: 2 }, $inc: { n: 1 } })).rejects.toMatchObject({ code: 40 });
    await expect(notes.updateOne({ _id: insertedId }, { $set: { meta: {} }, $unset: { 'meta.a': '' } })).rejects.toMatchObject({ code: 40 });
    await expect(notes.updateOne({ _id: insertedId }, { $frobnicate: { n: 1 } } as never)).rejects.toMatchObject({ code: 9 });
    expect(await notes.updateOne({ _id: insertedId }, { $inc: { n: 0 }, $set: { 'meta.a': 1 } })).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
    expect(await notes.findOne({ _id: insertedId }, { projection: { _id: 0 } })).toEqual({ n: 1, meta: { a: 1 } });
    const renamed = await notes.findOneAndUpdate({ _id: insertedId }, { $rename: { n: 'count' }, $set: { 'meta.b': 2 } }, { returnDocument: 'after' });
    expect(renamed).toEqual({ _id: insertedId, meta: { a: 1, b: 2 }, count: 1 });
  });

  it('combines equalities and $in lists with other operators, on scalar and array fields', async () => {
    const posts = database.collection('posts');
    const author = new ObjectId();
    await posts.insertMany([
      { author, tags: ['a', 'b'], n: 1 },
      { author, tags: 'c', n: 2 },
      { author: new ObjectId(), tags: ['c'], n: 3 },
      { author, n: 4 },
    ]);
    const ns = async (filter: Record<string, unknown>) => (await posts.find(filter).sort({ n: 1 }).toArray()).map((post) => post['n']);
    expect(await ns({ author, tags: { $in: ['b', 'c'] } })).toEqual([1, 2]);
    expect(await ns({ author: { $in: [author] }, n: { $gte: 2 } })).toEqual([2, 4]);
    expect(await ns({ tags: 'c', n: { $ne: 2 } })).toEqual([3]);
    expect(await ns({ author: { $eq: author }, tags: { $exists: false } })).toEqual([4]);
    expect(await ns({ n: { $in: [1, 4] }, $or: [{ tags: 'a' }, { tags: { $exists: false } }] })).toEqual([1, 4]);
  });

  it('upserts: seeds from equality fields (dotted, $eq), applies $setOnInsert only on insert', async () => {
    const counters = database.collection('counters');
    const first = await counters.updateOne(
      { key: 'visits', 'scope.site': 'docs', kind: { $eq: 'page' }, total: { $gt: -1 } },
      { $inc: { total: 1 }, $setOnInsert: { createdBy: 'upsert' } },
      { upsert: true },
    );
    expect(first.upsertedId).toBeInstanceOf(ObjectId);
    await counters.updateOne({ key: 'visits', 'scope.site': 'docs', kind: 'page' }, { $inc: { total: 1 }, $setOnInsert: { createdBy: 'second' } }, { upsert: true });
    const stored = await counters.find({}, { projection: { _id: 0 } }).toArray();
    expect(stored).toEqual([{ key: 'visits', scope: { site: 'docs' }, kind: 'page', total: 2, createdBy: 'upsert' }]);
  });

  it('upserts a replacement document, keeping the _id of the filter', async () => {
    const settings = database.collection<{ _id: string; theme?: string }>('settings');
    const result = await settings.replaceOne({ _id: 'user-1' }, { theme: 'dark' }, { upsert: true });
    expect(result.upsertedId).toBe('user-1');
    expect(await settings.findOne({ _id: 'user-1' })).toEqual({ _id: 'user-1', theme: 'dark' });
  });

  it('projects with inclusion, exclusion and _id: 0', async () => {
    const people = database.collection('people');
    const { insertedId } = await people.insertOne({ name: 'Ada', age: 36, address: { city: 'London', zip: 'N1' } });
    expect(await people.findOne({ _id: insertedId }, { projection: { name: 1 } })).toEqual({ _id: insertedId, name: 'Ada' });
    expect(await people.findOne({ _id: insertedId }, { projection: { name: 1, _id: 0 } })).toEqual({ name: 'Ada' });
    expect(await people.findOne({ _id: insertedId }, { projection: { age: 0, 'address.zip': 0 } })).toEqual({
      _id: insertedId,
      name: 'Ada',
      address: { city: 'London' },
    });
    expect(await people.findOne({ _id: insertedId }, { projection: { 'address.city': 1, _id: 0 } })).toEqual({ address: { city: 'London' } });
    const { insertedId: listId } = await people.insertOne({ name: 'Bo', scores: [{ v: 3 }, { v: 8 }, { v: 5 }] });
    expect(await people.findOne({ _id: listId }, { projection: { name: 1, scores: { $slice: 2 } } })).toEqual({
      _id: listId,
      name: 'Bo',
      scores: [{ v: 3 }, { v: 8 }],
    });
    expect(await people.findOne({ _id: listId }, { projection: { scores: { $elemMatch: { v: { $gt: 4 } } } } })).toEqual({
      _id: listId,
      scores: [{ v: 8 }],
    });
  });

  it('sorts with ties broken by _id, and across BSON types in MongoDB order', async () => {
    const scores = database.collection('scores');
    const ids = [0, 1, 2, 3].map(() => new ObjectId());
    await scores.insertMany([
      { _id: ids[2], score: 5 },
      { _id: ids[0], score: 7 },
      { _id: ids[3], score: 5 },
      { _id: ids[1], score: 5 },
    ]);
    const ascending = await scores.find().sort({ score: 1, _id: 1 }).toArray();
    expect(ascending.map((document) => document._id)).toEqual([ids[1], ids[2], ids[3], ids[0]]);
    const descending = await scores.find().sort({ score: -1, _id: -1 }).toArray();
    expect(descending.map((document) => document._id)).toEqual([ids[0], ids[3], ids[2], ids[1]]);
    const reversed = await scores.find().sort({ $natural: -1 }).toArray();
    expect(reversed.map((document) => document._id)).toEqual([ids[1], ids[3], ids[0], ids[2]]);

    const mixed = database.collection('mixed');
    const objectId = new ObjectId();
    const date = new Date('2024-01-01T00:00:00Z');
    await mixed.insertMany([
      { v: date },
      { v: 'text' },
      { v: objectId },
      { v: true },
      { v: 2.5 },
      { v: null },
      { other: 1 },
      { v: { nested: 1 } },
      { v: 1 },
    ]);
    const order = (await mixed.find({}, { projection: { _id: 0 } }).sort({ v: 1 }).toArray()).map((document) => document['v']);
    expect(order).toEqual([null, undefined, 1, 2.5, 'text', { nested: 1 }, objectId, true, date]);
    // null and missing are one sort key: they stay in insertion order, whichever comes first.
    const holes = database.collection('holes');
    await holes.insertMany([{ name: 'missing' }, { name: 'null', v: null }, { name: 'zero', v: 0 }, { name: 'missing too' }]);
    const names = (await holes.find().sort({ v: 1 }).toArray()).map((document) => document['name']);
    expect(names).toEqual(['missing', 'null', 'missing too', 'zero']);
  });

  it('sorts thousands of documents and pages through them with getMore', async () => {
    const many = database.collection('many');
    await many.insertMany(Array.from({ length: 3_000 }, (_, index) => ({ index, bucket: index % 7 })));
    const sorted = await many.find({}, { batchSize: 250 }).sort({ bucket: 1, index: -1 }).toArray();
    expect(sorted).toHaveLength(3_000);
    expect(sorted[0]).toMatchObject({ bucket: 0, index: 2_996 });
    expect(sorted[2_999]).toMatchObject({ bucket: 6, index: 6 });
    const cursor = many.find({ bucket: 3 }).sort({ index: 1 });
    const seen: number[] = [];
    for await (const document of cursor) seen.push(document['index'] as number);
    expect(seen).toHaveLength(429);
    expect(seen.slice(0, 3)).toEqual([3, 10, 17]);
  });

  it('returns more than 101 documents across batches, honouring skip, limit and batchSize', async () => {
    const rows = database.collection('rows');
    await rows.insertMany(Array.from({ length: 250 }, (_, index) => ({ index })));
    expect(await rows.find().toArray()).toHaveLength(250);
    const page = await rows.find({}, { batchSize: 7 }).sort({ index: 1 }).skip(100).limit(120).toArray();
    expect(page.map((document) => document['index'])).toEqual(Array.from({ length: 120 }, (_, index) => index + 100));
    const cursor = rows.find({}, { batchSize: 10 });
    await cursor.next();
    expect(cursor.bufferedCount()).toBe(9);
    await cursor.close();
  });

  it('counts, estimates and lists distinct values', async () => {
    const events = database.collection('events');
    await events.insertMany([
      { kind: 'click', tags: ['x', 'y'] },
      { kind: 'view', tags: ['y'] },
      { kind: 'click', tags: [] },
    ]);
    expect(await events.countDocuments({ kind: 'click' })).toBe(2);
    expect(await events.countDocuments({}, { skip: 1, limit: 1 })).toBe(1);
    expect(await events.estimatedDocumentCount()).toBe(3);
    expect((await events.distinct('kind')).sort()).toEqual(['click', 'view']);
    expect((await events.distinct('tags', { kind: 'click' })).sort()).toEqual(['x', 'y']);
  });

  it('finds by ObjectId, $in of ObjectIds, ObjectId ranges and Date ranges', async () => {
    const messages = database.collection('messages');
    const owner = new ObjectId();
    const base = Date.UTC(2024, 0, 1);
    const { insertedIds: ids } = await messages.insertMany(
      Array.from({ length: 5 }, (_, index) => ({ ownerId: index < 3 ? owner : new ObjectId(), at: new Date(base + index * 60_000), index })),
    );
    expect(await messages.countDocuments({ ownerId: new ObjectId(owner.toHexString()) })).toBe(3);
    const insertedIds = Object.values(ids);
    expect(await messages.countDocuments({ _id: { $in: [insertedIds[0] as ObjectId, insertedIds[4] as ObjectId] } })).toBe(2);
    expect(await messages.countDocuments({ _id: { $lt: insertedIds[2] as ObjectId } })).toBe(2);
    const range = await messages.find({ at: { $gte: new Date(base + 60_000), $lt: new Date(base + 180_000) } }).toArray();
    expect(range.map((document) => document['index'])).toEqual([1, 2]);
    expect(range[0]?.['at']).toBeInstanceOf(Date);
  });

  it('matches null and missing alike, $ne, $exists, and $or over date ranges (a lock that may have expired)', async () => {
    const locks = database.collection('locks');
    const now = new Date();
    await locks.insertMany([
      { name: 'free' },
      { name: 'released', lock: null },
      { name: 'expired', lock: { until: new Date(now.getTime() - 1_000) } },
      { name: 'held', lock: { until: new Date(now.getTime() + 60_000) } },
    ]);
    const names = async (filter: Record<string, unknown>) =>
      (await locks.find(filter).sort({ name: 1 }).toArray()).map((document) => document['name']);
    expect(await names({ lock: null })).toEqual(['free', 'released']);
    expect(await names({ lock: { $ne: null } })).toEqual(['expired', 'held']);
    expect(await names({ lock: { $exists: false } })).toEqual(['free']);
    expect(await names({ $or: [{ lock: null }, { 'lock.until': { $lt: now } }] })).toEqual(['expired', 'free', 'released']);
    const taken = await locks.findOneAndUpdate(
      { name: 'expired', $or: [{ lock: null }, { 'lock.until': { $lt: now } }] },
      { $set: { lock: { until: new Date(now.getTime() + 60_000) } } },
      { returnDocument: 'before' },
    );
    expect(taken?.['lock']['until'].getTime()).toBe(now.getTime() - 1_000);
    expect(await locks.findOneAndUpdate({ name: 'held', $or: [{ lock: null }, { 'lock.until': { $lt: now } }] }, { $set: { lock: null } })).toBeNull();
  });

  it('runs findOneAndUpdate with returnDocument after and before, and findOneAndDelete', async () => {
    const jobs = database.collection('jobs');
    await jobs.insertMany([{ name: 'a', priority: 1, state: 'new' }, { name: 'b', priority: 9, state: 'new' }]);
    const after = await jobs.findOneAndUpdate({ state: 'new' }, { $set: { state: 'running' } }, { sort: { priority: -1 }, returnDocument: 'after' });
    expect(after).toMatchObject({ name: 'b', state: 'running' });
    const before = await jobs.findOneAndUpdate({ name: 'a' }, { $set: { state: 'done' } }, { returnDocument: 'before', projection: { _id: 0, state: 1 } });
    expect(before).toEqual({ state: 'new' });
    expect(await jobs.findOneAndDelete({ name: 'a' })).toMatchObject({ state: 'done' });
    expect(await jobs.countDocuments()).toBe(1);
  });

  it('deletes many documents', async () => {
    const logs = database.collection('logs');
    await logs.insertMany(Array.from({ length: 20 }, (_, index) => ({ level: index % 2 === 0 ? 'debug' : 'info' })));
    expect((await logs.deleteMany({ level: 'debug' })).deletedCount).toBe(10);
    expect(await logs.countDocuments()).toBe(10);
  });

  it('runs a bulkWrite of mixed operations', async () => {
    const stock = database.collection('stock');
    await stock.insertOne({ sku: 'a', qty: 1 });
    const result = await stock.bulkWrite([
      { insertOne: { document: { sku: 'b', qty: 5 } } },
      { updateOne: { filter: { sku: 'a' }, update: { $inc: { qty: 4 } } } },
      { updateOne: { filter: { sku: 'c' }, update: { $set: { qty: 1 } }, upsert: true } },
      { deleteOne: { filter: { sku: 'b' } } },
      { replaceOne: { filter: { sku: 'a' }, replacement: { sku: 'a', qty: 0 } } },
    ]);
    expect(result).toMatchObject({ insertedCount: 1, matchedCount: 2, modifiedCount: 2, upsertedCount: 1, deletedCount: 1 });
    expect(await stock.find({}, { projection: { _id: 0 } }).sort({ sku: 1 }).toArray()).toEqual([
      { sku: 'a', qty: 0 },
      { sku: 'c', qty: 1 },
    ]);
  });

  it('aggregates with $match, $group, $sort, $lookup and $unwind without changing stored documents', async () => {
    const authors = database.collection('authors');
    const books = database.collection('books');
    const [ada, bob] = [new ObjectId(), new ObjectId()];
    await authors.insertMany([{ _id: ada, name: 'Ada' }, { _id: bob, name: 'Bob' }]);
    await books.insertMany([
      { authorId: ada, title: 'A1', pages: 100 },
      { authorId: ada, title: 'A2', pages: 50 },
      { authorId: bob, title: 'B1', pages: 10 },
    ]);
    const totals = await books
      .aggregate([
        { $match: { pages: { $gte: 10 } } },
        { $group: { _id: '$authorId', pages: { $sum: '$pages' }, count: { $sum: 1 } } },
        { $sort: { pages: -1 } },
        { $lookup: { from: 'authors', localField: '_id', foreignField: '_id', as: 'author' } },
        { $unwind: '$author' },
        { $set: { 'author.name': { $toUpper: '$author.name' } } },
        { $project: { _id: 0, name: '$author.name', pages: 1, count: 1 } },
      ])
      .toArray();
    expect(totals).toEqual([
      { pages: 150, count: 2, name: 'ADA' },
      { pages: 10, count: 1, name: 'BOB' },
    ]);
    expect(await authors.find({}, { projection: { _id: 0 } }).toArray()).toEqual([{ name: 'Ada' }, { name: 'Bob' }]);
    expect(await books.countDocuments({ author: { $exists: true } })).toBe(0);
    expect(await books.aggregate([{ $match: { authorId: ada } }, { $count: 'n' }]).toArray()).toEqual([{ n: 2 }]);
  });

  it('rejects an unknown command with code 59', async () => {
    await expect(database.command({ noSuchCommand: 1 })).rejects.toMatchObject({ code: 59 });
  });
});
