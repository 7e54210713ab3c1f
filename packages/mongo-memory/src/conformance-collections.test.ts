import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDriver } from './testing/conformance-clients.js';

// Collection options, validation, collation, hints and pipelines as MongoDB handles them; the same scenarios run
// on a real MongoDB when MONGODB_URI is set.
describe('conformance: collection options, validation, collation and hints', () => {
  let driver: Awaited<ReturnType<typeof openDriver>>;
  let database: Db;

  beforeAll(async () => {
    driver = await openDriver('collections');
    database = driver.database;
  });
  afterAll(() => driver.close());

  const optionsOf = async (name: string) => (await database.listCollections({ name }, { nameOnly: false }).toArray())[0] as { type: string; options: Record<string, unknown> } | undefined;

  it('lists the options a collection was created with, and refuses a capped collection without a size', async () => {
    await database.createCollection('logs', { capped: true, size: 4096, max: 3 });
    await database.createCollection('people', { collation: { locale: 'en_US', strength: 2 } });
    await database.createCollection('readings', { timeseries: { timeField: 'at', metaField: 'sensor' }, expireAfterSeconds: 60 });
    expect((await optionsOf('logs'))?.options).toMatchObject({ capped: true, size: 4096, max: 3 });
    expect((await optionsOf('people'))?.options['collation']).toMatchObject({ locale: 'en_US', strength: 2, caseLevel: false, numericOrdering: false });
    const readings = await optionsOf('readings');
    expect(readings).toMatchObject({ type: 'timeseries', options: { timeseries: { timeField: 'at', metaField: 'sensor', granularity: 'seconds' }, expireAfterSeconds: 60 } });
    await expect(database.createCollection('broken', { capped: true })).rejects.toMatchObject({ code: 72, codeName: 'InvalidOptions' });
  });

  it('keeps only the newest documents of a capped collection', async () => {
    const logs = database.collection('recent');
    await database.createCollection('recent', { capped: true, size: 100_000, max: 3 });
    for (const n of [1, 2, 3, 4, 5]) await logs.insertOne({ n });
    expect((await logs.find({}, { projection: { _id: 0 } }).toArray()).map((document) => document['n'])).toEqual([3, 4, 5]);
  });

  it('enforces a validator with $jsonSchema on inserts and updates (121), unless bypassed or relaxed with collMod', async () => {
    await database.createCollection('accounts', {
      validator: { $jsonSchema: { required: ['name'], properties: { name: { bsonType: 'string' }, age: { bsonType: ['int', 'null'], minimum: 0 } } } },
    });
    const accounts = database.collection('accounts');
    await accounts.insertOne({ name: 'Ada', age: 36 });
    await expect(accounts.insertOne({ age: 3 })).rejects.toMatchObject({ code: 121 });
    await expect(accounts.updateOne({ name: 'Ada' }, { $set: { age: -1 } })).rejects.toMatchObject({ code: 121 });
    await accounts.insertOne({ age: 4 }, { bypassDocumentValidation: true });
    await database.command({ collMod: 'accounts', validationAction: 'warn' });
    await accounts.insertOne({ age: 5 });
    expect(await accounts.countDocuments()).toBe(3);
  });

  it('compares strings with the query\'s collation, or the collection\'s default one', async () => {
    await database.createCollection('folks', { collation: { locale: 'en_US', strength: 2 } });
    const folks = database.collection('folks');
    await folks.insertMany([{ name: 'alpha' }, { name: 'Zeta' }, { name: 'beta' }]);
    expect((await folks.find().sort({ name: 1 }).toArray()).map((document) => document['name'])).toEqual(['alpha', 'beta', 'Zeta']);
    await folks.insertOne({ name: 'ALPHA' });
    expect(await folks.countDocuments({ name: 'Alpha' })).toBe(2);
    expect(await folks.countDocuments({ name: 'Alpha' }, { collation: { locale: 'simple' } })).toBe(0);
    const plain = database.collection('plain-names');
    await plain.insertMany([{ name: 'b' }, { name: 'B' }, { name: 'a' }]);
    expect((await plain.find().sort({ name: 1 }).toArray()).map((document) => document['name'])).toEqual(['B', 'a', 'b']);
    expect((await plain.find().sort({ name: 1 }).collation({ locale: 'en' }).toArray()).map((document) => document['name'])).toEqual(['a', 'b', 'B']);
    expect((await plain.distinct('name', {}, { collation: { locale: 'en', strength: 2 } })).length).toBe(2);
  });

  it('treats keys a unique index\'s collation holds equal as duplicates (11000)', async () => {
    const handles = database.collection('handles');
    await handles.createIndex({ handle: 1 }, { unique: true, collation: { locale: 'en', strength: 2 } });
    await handles.insertOne({ handle: 'Ada' });
    await expect(handles.insertOne({ handle: 'ada' })).rejects.toMatchObject({ code: 11000 });
  });

  it('hides an index with collMod, lists it as hidden, and refuses to hint it', async () => {
    const items = database.collection('hidden-items');
    await items.insertMany([{ qty: 4, name: 'Andrew' }, { qty: 5, name: 'Betty' }, { qty: 4, name: 'Charlie' }]);
    await items.createIndex({ qty: -1, name: -1 });
    const hinted = await items.find({}).hint({ qty: -1, name: -1 }).toArray();
    expect(hinted.map((document) => document['name'])).toEqual(['Betty', 'Charlie', 'Andrew']);
    await expect(items.find({}).hint('no_such_index').toArray()).rejects.toMatchObject({ code: 2, codeName: 'BadValue' });
    const reply = await database.command({ collMod: 'hidden-items', index: { keyPattern: { qty: -1, name: -1 }, hidden: true } });
    expect(reply).toMatchObject({ hidden_old: false, hidden_new: true });
    const listed = await items.listIndexes().toArray();
    expect(listed.find((index) => index['name'] === 'qty_-1_name_-1')).toMatchObject({ hidden: true });
    await expect(items.find({}).hint({ qty: -1, name: -1 }).toArray()).rejects.toMatchObject({ code: 2 });
  });

  it('explains a find and an aggregate, refuses an unknown pipeline stage (40324), and runs $documents on the database', async () => {
    const orders = database.collection('orders');
    await orders.insertOne({ total: 5 });
    expect(await orders.find({ total: 5 }).explain('queryPlanner')).toHaveProperty('queryPlanner');
    const explained = await orders.aggregate([{ $match: { total: 5 } }, { $project: { total: 1 } }]).explain();
    expect('queryPlanner' in explained || 'stages' in explained).toBe(true);
    await expect(orders.aggregate([{ $fakeStage: {} }]).toArray()).rejects.toMatchObject({ code: 40324 });
    const buckets = await database.aggregate([{ $documents: [{ x: 10 }, { x: 2 }, { x: 5 }] }, { $sort: { x: 1 } }]).toArray();
    expect(buckets).toEqual([{ x: 2 }, { x: 5 }, { x: 10 }]);
  });
});
