import { Long, ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDriver } from './testing/conformance-clients.js';

// What the engine's fast paths for the chat server's commands must keep exactly as MongoDB has it: equality on
// ObjectIds, cursor batches spliced from cached documents, and findAndModify's document after updates. The same
// scenarios run on a real MongoDB when MONGODB_URI is set.
describe('conformance: the command path (ObjectId equality, batches, findAndModify)', () => {
  let driver: Awaited<ReturnType<typeof openDriver>>;
  let database: Db;

  beforeAll(async () => {
    driver = await openDriver('command_path');
    database = driver.database;
  });
  afterAll(() => driver.close());

  it('matches an ObjectId only to the same ObjectId, alone or in an array, never to its hex string', async () => {
    const owner = new ObjectId();
    const other = new ObjectId();
    const items = database.collection('items');
    await items.insertMany([
      { name: 'own', owner },
      { name: 'list', owner: [other, owner] },
      { name: 'nested', owner: [[owner]] },
      { name: 'hex', owner: owner.toHexString() },
      { name: 'other', owner: other },
      { name: 'missing' },
    ]);
    const names = async (filter: Record<string, unknown>) => (await items.find(filter).sort({ name: 1 }).toArray()).map((item) => item['name']);
    expect(await names({ owner })).toEqual(['list', 'own']);
    expect(await names({ owner: { $eq: owner } })).toEqual(['list', 'own']);
    expect(await names({ owner: { $in: [owner] } })).toEqual(['list', 'own']);
    expect(await names({ owner: { $in: [owner, other] } })).toEqual(['list', 'other', 'own']);
    expect(await names({ owner: owner.toHexString() })).toEqual(['hex']);
  });

  it('returns a user’s sessions in index order after updates, with their current contents, and no open cursor', async () => {
    const sessions = database.collection('sessions');
    await sessions.createIndex({ userId: 1, updatedAt: -1, _id: -1 });
    const userId = new ObjectId();
    const stored = Array.from({ length: 30 }, (_, index) => ({ _id: new ObjectId(), userId, title: `s${index}`, messageCount: index, updatedAt: new Date(1_000 + index) }));
    await sessions.insertMany([...stored, { userId: new ObjectId(), title: 'someone else', updatedAt: new Date(5_000) }]);
    const list = () => sessions.find({ userId }).sort({ updatedAt: -1, _id: -1 }).limit(20).toArray();
    expect((await list()).map((session) => session['title'])).toEqual(stored.slice(10).reverse().map((session) => session['title']));

    // Read, change, read again: the list shows each change at once (nothing stale from an earlier encoding).
    const changed = await sessions.findOneAndUpdate(
      { _id: stored[3]?._id, userId },
      { $set: { updatedAt: new Date(9_000), lastMessage: { role: 'user', preview: 'hi' } }, $inc: { messageCount: 1 } },
      { returnDocument: 'after' },
    );
    expect(changed).toEqual({ ...stored[3], updatedAt: new Date(9_000), messageCount: 4, lastMessage: { role: 'user', preview: 'hi' } });
    const before = await sessions.findOneAndUpdate({ _id: stored[3]?._id }, { $set: { title: 'renamed' } }, { returnDocument: 'before' });
    expect(before).toEqual(changed);
    const first = (await list())[0];
    expect(first).toEqual({ ...changed, title: 'renamed' });
    expect(await sessions.findOne({ _id: stored[3]?._id })).toEqual(first);

    const reply = await database.command({ find: 'sessions', filter: { userId }, sort: { updatedAt: -1, _id: -1 }, limit: 20 }, { promoteLongs: false });
    expect(reply['cursor'].id).toEqual(Long.ZERO);
    expect(reply['cursor'].firstBatch).toHaveLength(20);
    const batched = await database.command({ find: 'sessions', filter: { userId }, sort: { updatedAt: -1, _id: -1 }, batchSize: 5 }, { promoteLongs: false });
    expect(batched['cursor'].id).not.toEqual(Long.ZERO);
    expect(batched['cursor'].firstBatch.map((session: { title: string }) => session.title)).toEqual(['renamed', 's29', 's28', 's27', 's26']);
    const more = await database.command({ getMore: batched['cursor'].id, collection: 'sessions', batchSize: 100 }, { promoteLongs: false });
    expect(more['cursor'].id).toEqual(Long.ZERO);
    expect(more['cursor'].nextBatch).toHaveLength(25);
  });
});
