import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_TIMEOUTS, conformanceUri, openDriver } from './testing/conformance-clients.js';

describe('conformance: databases, collections and advanced updates (raw driver)', () => {
  let driver: Awaited<ReturnType<typeof openDriver>>;
  let database: Db;

  beforeAll(async () => {
    driver = await openDriver('admin');
    database = driver.database;
  });
  afterAll(() => driver.close());

  it('creates collections, lists them with a name filter, and refuses to create one twice', async () => {
    await database.createCollection('alpha');
    await database.collection('beta').insertOne({ x: 1 });
    await expect(database.createCollection('alpha')).rejects.toMatchObject({ code: 48 });
    const all = (await database.listCollections({}, { nameOnly: true }).toArray()).map((entry) => entry.name).sort();
    expect(all).toEqual(['alpha', 'beta']);
    expect((await database.listCollections({ name: 'beta' }).toArray()).map((entry) => entry.name)).toEqual(['beta']);
    expect(await database.collection('alpha').drop()).toBe(true);
    expect((await database.listCollections({ name: 'alpha' }).toArray())).toEqual([]);
  });

  it('drops a database with all its collections, leaving other databases alone', async () => {
    const client = await new MongoClient(conformanceUri('dropped'), CLIENT_TIMEOUTS).connect();
    try {
      const doomed = client.db();
      await doomed.collection('one').insertOne({ a: 1 });
      await doomed.collection('two').insertOne({ b: 2 });
      await database.collection('survivor').insertOne({ c: 3 });
      await doomed.dropDatabase();
      expect(await doomed.listCollections().toArray()).toEqual([]);
      expect(await doomed.collection('one').countDocuments()).toBe(0);
      expect(await database.collection('survivor').countDocuments()).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('updates array elements with the positional operator and arrayFilters', async () => {
    const orders = database.collection('orders');
    const { insertedId } = await orders.insertOne({ lines: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 2 }, { sku: 'c', qty: 3 }] });
    await orders.updateOne({ _id: insertedId, 'lines.sku': 'b' }, { $inc: { 'lines.$.qty': 10 } });
    await orders.updateOne({ _id: insertedId }, { $set: { 'lines.$[big].flag': true } }, { arrayFilters: [{ 'big.qty': { $gte: 3 } }] });
    expect((await orders.findOne({ _id: insertedId }))?.['lines']).toEqual([
      { sku: 'a', qty: 1 },
      { sku: 'b', qty: 12, flag: true },
      { sku: 'c', qty: 3, flag: true },
    ]);
  });

  it('applies an aggregation pipeline update', async () => {
    const totals = database.collection('totals');
    await totals.insertOne({ name: 'x', a: 2, b: 3 });
    await totals.updateOne({ name: 'x' }, [{ $set: { sum: { $add: ['$a', '$b'] } } }, { $unset: 'b' }]);
    expect(await totals.findOne({ name: 'x' }, { projection: { _id: 0 } })).toEqual({ name: 'x', a: 2, sum: 5 });
  });

  it('refuses to change _id and reports a modify of an unchanged document as not modified', async () => {
    const fixed = database.collection<{ _id: number; v: number }>('fixed');
    await fixed.insertOne({ _id: 1, v: 1 });
    await expect(fixed.updateOne({ _id: 1 }, { $set: { _id: 2 } })).rejects.toMatchObject({ code: 66 });
    expect(await fixed.updateOne({ _id: 1 }, { $set: { v: 1 } })).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
  });

  it('counts with an aggregate of $match and $group as mongoose\'s countDocuments does', async () => {
    const votes = database.collection('votes');
    await votes.insertMany(Array.from({ length: 30 }, (_, index) => ({ up: index % 3 === 0 })));
    const [result] = await votes.aggregate([{ $match: { up: true } }, { $group: { _id: 1, n: { $sum: 1 } } }]).toArray();
    expect(result).toEqual({ _id: 1, n: 10 });
    expect(await votes.aggregate([{ $match: { up: 'never' } }, { $group: { _id: 1, n: { $sum: 1 } } }]).toArray()).toEqual([]);
  });

  it('pages an aggregation result past the first batch', async () => {
    const points = database.collection('points');
    await points.insertMany(Array.from({ length: 300 }, (_, index) => ({ index })));
    const sorted = await points.aggregate([{ $sort: { index: -1 } }, { $project: { _id: 0, index: 1 } }], { cursor: { batchSize: 50 } }).toArray();
    expect(sorted).toHaveLength(300);
    expect(sorted[0]).toEqual({ index: 299 });
    expect(sorted[299]).toEqual({ index: 0 });
  });
});
