import { Binary, Double, Int32, Long, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDriver } from './testing/conformance-clients.js';

// Update operators as MongoDB applies them; the same scenarios run on a real MongoDB when MONGODB_URI is set. A
// failed write reports its code in `writeErrors`, where MongoDB gives no codeName.
describe('conformance: update operators', () => {
  let driver: Awaited<ReturnType<typeof openDriver>>;
  let database: Db;

  beforeAll(async () => {
    driver = await openDriver('updates');
    database = driver.database;
  });
  afterAll(() => driver.close());

  it('pushes into an array inside an array element addressed by position, keeping the outer array', async () => {
    const outer = database.collection<{ _id: number; inner: unknown; fresh?: unknown }>('outer');
    await outer.insertOne({ _id: 1, inner: [{ arr: [1] }, { arr: [9] }] });
    await outer.updateOne({ _id: 1 }, { $push: { 'inner.1.arr': { $each: [5] } } });
    expect(await outer.findOne({ _id: 1 })).toEqual({ _id: 1, inner: [{ arr: [1] }, { arr: [9, 5] }] });
    await outer.updateOne({ _id: 1 }, { $set: { 'inner.0.arr.3': 7, 'inner.2.arr': [] } });
    expect(await outer.findOne({ _id: 1 })).toEqual({ _id: 1, inner: [{ arr: [1, null, null, 7] }, { arr: [9, 5] }, { arr: [] }] });
    // A numeric part of a path that does not exist yet creates an embedded document, not an array.
    await outer.updateOne({ _id: 1 }, { $set: { 'fresh.0.name': 'x' } });
    expect((await outer.findOne({ _id: 1 }))?.['fresh']).toEqual({ 0: { name: 'x' } });
  });

  it('sets two fields of the element the positional $ stands for, and of every element with $[] and $[id]', async () => {
    const lists = database.collection<{ _id: number; items: { sku: string; qty: number; seen?: boolean; at?: number }[] }>('lists');
    await lists.insertOne({ _id: 1, items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 5 }, { sku: 'c', qty: 9 }] });
    await lists.updateOne({ _id: 1, 'items.sku': 'b' }, { $set: { 'items.$.seen': true, 'items.$.at': 2 } });
    await lists.updateOne({ _id: 1 }, { $inc: { 'items.$[].qty': 1 } });
    await lists.updateOne({ _id: 1 }, { $set: { 'items.$[big].seen': false } }, { arrayFilters: [{ 'big.qty': { $gt: 8 } }] });
    expect((await lists.findOne({ _id: 1 }))?.items).toEqual([
      { sku: 'a', qty: 2 },
      { sku: 'b', qty: 6, seen: true, at: 2 },
      { sku: 'c', qty: 10, seen: false },
    ]);
    await expect(lists.updateOne({ _id: 1, 'items.sku': 'b' }, { $set: { 'items.$': {}, 'items.$.qty': 1 } })).rejects.toMatchObject({ code: 40 });
  });

  it('accepts $set of _id to its own value, and refuses changing it (66 ImmutableField)', async () => {
    const people = database.collection<{ _id: number; name: string }>('people');
    await people.insertOne({ _id: 7, name: 'Ada' });
    expect(await people.updateOne({ _id: 7 }, { $set: { _id: 7, name: 'Ada L.' } })).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    await expect(people.updateOne({ _id: 7 }, { $set: { _id: 8 } })).rejects.toMatchObject({ code: 66 });
    expect(await people.findOne({ _id: 7 })).toEqual({ _id: 7, name: 'Ada L.' });
  });

  it('refuses modifiers on values of the wrong type instead of ignoring them', async () => {
    const shapes = database.collection('shapes');
    const { insertedId } = await shapes.insertOne({ n: 42, label: 'x', list: [{ k: 1 }] });
    const rejects = (update: Record<string, unknown>) => shapes.updateOne({ _id: insertedId }, update);
    await expect(rejects({ $push: { n: 1 } })).rejects.toMatchObject({ code: 2 });
    await expect(rejects({ $addToSet: { n: 1 } })).rejects.toMatchObject({ code: 2 });
    await expect(rejects({ $pull: { n: 1 } })).rejects.toMatchObject({ code: 2 });
    await expect(rejects({ $pop: { n: 1 } })).rejects.toMatchObject({ code: 14 });
    await expect(rejects({ $inc: { label: 1 } })).rejects.toMatchObject({ code: 14 });
    await expect(rejects({ $inc: { n: 'one' } })).rejects.toMatchObject({ code: 14 });
    await expect(rejects({ $set: { 'list.k': 2 } })).rejects.toMatchObject({ code: 28 });
    await expect(rejects({ $set: { 'n.deeper': 2 } })).rejects.toMatchObject({ code: 28 });
    // $unset of such a path changes nothing, as in MongoDB.
    expect(await rejects({ $unset: { 'list.k': '' } })).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
    expect(await shapes.findOne({ _id: insertedId }, { projection: { _id: 0 } })).toEqual({ n: 42, label: 'x', list: [{ k: 1 }] });
  });

  it('checks an update before looking for documents: conflicts, unused and missing array filters', async () => {
    const empty = database.collection('nothing-matches');
    await expect(empty.updateOne({ none: 1 }, { $set: { a: 1 }, $inc: { a: 1 } })).rejects.toMatchObject({ code: 40 });
    await expect(empty.updateOne({ none: 1 }, { $set: { 'a.b': 1, a: 1 } })).rejects.toMatchObject({ code: 40 });
    await expect(empty.updateOne({ none: 1 }, { $set: { a: 1 } }, { arrayFilters: [{ 'x.y': 1 }] })).rejects.toMatchObject({ code: 9 });
    await expect(empty.updateOne({ none: 1 }, { $set: { 'a.$[x]': 1 } })).rejects.toMatchObject({ code: 2 });
    await expect(empty.updateOne({ none: 1 }, { $frobnicate: { a: 1 } } as never)).rejects.toMatchObject({ code: 9 });
  });

  it('removes with $pull what a query with $or, a partial document or an operator matches', async () => {
    const threads = database.collection<{ _id: number; comments: { by: string; votes: number }[]; scores: number[] }>('threads');
    await threads.insertOne({
      _id: 1,
      comments: [{ by: 'ann', votes: 1 }, { by: 'bob', votes: 5 }, { by: 'cy', votes: 9 }, { by: 'dee', votes: 2 }],
      scores: [1, 5, 9, 12],
    });
    await threads.updateOne({ _id: 1 }, { $pull: { comments: { $or: [{ by: 'ann' }, { votes: { $gte: 9 } }] } } } as never);
    await threads.updateOne({ _id: 1 }, { $pull: { comments: { by: 'dee' }, scores: { $gt: 8 } } });
    expect(await threads.findOne({ _id: 1 })).toEqual({ _id: 1, comments: [{ by: 'bob', votes: 5 }], scores: [1, 5] });
  });

  it('creates new fields in lexicographic order of their paths, numeric parts in numeric order', async () => {
    const ordered = database.collection<{ _id: number; mid?: Record<string, unknown> }>('ordered');
    await ordered.insertOne({ _id: 1 });
    await ordered.updateOne({ _id: 1 }, { $set: { zeta: 1, alpha: 1, 'mid.b': 1, 'mid.a': 1 } });
    const stored = await ordered.findOne({ _id: 1 });
    expect(Object.keys(stored ?? {})).toEqual(['_id', 'alpha', 'mid', 'zeta']);
    expect(Object.keys(stored?.['mid'] ?? {})).toEqual(['a', 'b']);
  });

  it('keeps int64 and double types through updates, and widens int32 on overflow', async () => {
    const counters = database.collection('typed-counters');
    await counters.insertOne({ _id: 1, small: 2_147_483_647, big: Long.fromNumber(5), ratio: new Double(2) } as never);
    await counters.updateOne({ _id: 1 } as never, { $inc: { small: 1, big: 1 }, $mul: { ratio: 2, absent: new Double(3) } });
    const raw = await counters.findOne({ _id: 1 } as never, { promoteValues: false });
    expect(raw?.['small']).toEqual(Long.fromNumber(2_147_483_648));
    expect(raw?.['big']).toEqual(Long.fromNumber(6));
    expect(raw?.['ratio']).toEqual(new Double(4));
    expect(raw?.['absent']).toEqual(new Double(0));
    expect(await counters.countDocuments({ big: { $type: 'long' }, ratio: { $type: 'double' }, small: { $type: 'long' } })).toBe(1);
    const promoted = await counters.findOne({ _id: 1 } as never);
    expect(promoted?.['big']).toBe(6);
  });

  it('applies $min, $max, $rename, $currentDate, $bit and $addToSet with $each', async () => {
    const misc = database.collection('misc');
    await misc.insertOne({ _id: 1, low: 5, high: 5, old: 'v', flags: new Int32(5), tags: ['a'] } as never);
    await misc.updateOne({ _id: 1 } as never, {
      $min: { low: 3 },
      $max: { high: 3 },
      $rename: { old: 'renamed' },
      $currentDate: { touched: true as never, stamp: { $type: 'timestamp' } },
      $bit: { flags: { and: 4 } },
      $addToSet: { tags: { $each: ['a', 'b', 'b'] } },
    });
    const stored = await misc.findOne({ _id: 1 } as never);
    expect(stored).toMatchObject({ low: 3, high: 5, renamed: 'v', flags: 4, tags: ['a', 'b'] });
    expect(stored).not.toHaveProperty('old');
    expect(stored?.['touched']).toBeInstanceOf(Date);
    expect(stored?.['stamp']?._bsontype).toBe('Timestamp');
  });

  it('accepts a $-prefixed top-level field through $set, as MongoDB 5.0 and later do', async () => {
    const dollars = database.collection('dollars');
    await dollars.insertOne({ _id: 1 } as never);
    await dollars.updateOne({ _id: 1 } as never, { $set: { $myKey: 'value' } });
    expect(await dollars.findOne({ _id: 1 } as never)).toEqual({ _id: 1, $myKey: 'value' });
  });

  it('counts a new binary subtype as a change, and keeps a field named __proto__ as a field', async () => {
    const blobs = database.collection('blobs');
    await blobs.insertOne({ _id: 1, data: new Binary(Buffer.from('hi'), 128) } as never);
    expect(await blobs.updateOne({ _id: 1 } as never, { $set: { data: new Binary(Buffer.from('hi'), 0) } })).toMatchObject({ modifiedCount: 1 });
    expect(((await blobs.findOne({ _id: 1 } as never))?.['data'] as Binary).sub_type).toBe(0);
    const payload = JSON.parse('{"__proto__": "abcd"}') as Record<string, unknown>;
    await blobs.updateOne({ _id: 1 } as never, { $set: { mixed: payload } });
    const stored = (await blobs.findOne({ _id: 1 } as never))?.['mixed'] as Record<string, unknown>;
    expect(Object.prototype.hasOwnProperty.call(stored, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(stored)).toBe(Object.prototype);
  });
});
