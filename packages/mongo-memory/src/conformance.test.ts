import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDriver } from './testing/conformance-clients.js';

describe('CRUD through the raw driver', () => {
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

  it('rejects a duplicate key with MongoDB\'s error, keyPattern and keyValue', async () => {
    const users = database.collection('users');
    await users.createIndex({ email: 1 }, { unique: true });
    await users.insertOne({ email: 'ada@example.com' });
    const failure = await users.insertOne({ email: 'ada@example.com' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 11000, keyPattern: { email: 1 }, keyValue: { email: 'ada@example.com' } });
    expect(await users.countDocuments()).toBe(1);
  });

  it('rejects an unknown command with code 59', async () => {
    await expect(database.command({ noSuchCommand: 1 })).rejects.toMatchObject({ code: 59 });
  });
});
