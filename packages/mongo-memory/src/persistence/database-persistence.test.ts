import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ObjectId } from 'bson';
import { Long, MongoClient } from 'mongodb';
import mongoose, { Schema, Types } from 'mongoose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMongoMemory, type MongoMemoryOptions, type MongoMemoryServer } from '../start-mongo-memory.js';
import { CLIENT_TIMEOUTS } from '../testing/conformance-clients.js';
import { prepareEngineProcess } from '../testing/engine-process.js';
import { KILLED_SERVER_OPTIONS, serverGone } from '../testing/server-gone.js';
import { waitFor } from '../testing/wait-for.js';
import { readDatabaseFile } from './database-file.js';

interface Conversation {
  ownerId: Types.ObjectId;
  handle: string;
  startedAt: Date;
  tokens: bigint;
  settings: { model: string; temperature: number; tags: string[] };
  messages: { role: string; content: string; at: Date }[];
}

const conversationSchema = new Schema<Conversation>({
  ownerId: { type: Schema.Types.ObjectId, required: true },
  handle: { type: String, unique: true },
  startedAt: Date,
  tokens: BigInt,
  settings: { model: String, temperature: Number, tags: [String] },
  messages: [{ _id: false, role: String, content: String, at: Date }],
});

describe('startMongoMemory({ persistDirectory }): data that survives a restart', () => {
  let directory: string;
  const running: MongoMemoryServer[] = [];
  const clients: MongoClient[] = [];

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'mongo-memory-persist-'));
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await Promise.all(running.splice(0).map((server) => server.stop()));
    await rm(directory, { recursive: true, force: true });
  });

  const start = async (options: MongoMemoryOptions = {}) => {
    const server = await startMongoMemory({ persistDirectory: directory, ...options });
    running.push(server);
    return server;
  };
  const connect = async (uri: string) => {
    const client = await new MongoClient(uri, CLIENT_TIMEOUTS).connect();
    clients.push(client);
    return client;
  };
  const databaseFiles = async () => (await readdir(directory)).filter((name) => name.endsWith('.bson')).sort();

  it('keeps what mongoose wrote (ObjectIds, dates, longs, nested documents) and still enforces unique indexes', async () => {
    const first = await start();
    const writer = await mongoose.createConnection(`${first.uri}chat`, CLIENT_TIMEOUTS).asPromise();
    const Conversations = writer.model<Conversation>('Conversation', conversationSchema);
    await Conversations.init();
    const ownerId = new Types.ObjectId();
    const startedAt = new Date('2025-03-04T05:06:07.089Z');
    const created = await Conversations.create({
      ownerId,
      handle: 'first-chat',
      startedAt,
      tokens: 2n ** 62n + 1n,
      settings: { model: 'demo', temperature: 0.25, tags: ['a', 'b'] },
      messages: [{ role: 'user', content: 'hello', at: startedAt }],
    });
    await writer.collection('counters').insertOne({ _id: 'visits' as never, value: Long.fromString('9007199254740993') });
    await writer.close();
    await first.stop();

    const second = await start();
    // autoIndex off: the unique index enforced below is the one that was saved, not one mongoose created again.
    const reader = await mongoose.createConnection(`${second.uri}chat`, { ...CLIENT_TIMEOUTS, autoIndex: false }).asPromise();
    try {
      const Reloaded = reader.model<Conversation>('Conversation', conversationSchema);
      const loaded = (await Reloaded.findById(created._id))?.toObject();
      expect(loaded).toEqual({
        _id: created._id,
        __v: 0,
        ownerId,
        handle: 'first-chat',
        startedAt,
        tokens: 2n ** 62n + 1n,
        settings: { model: 'demo', temperature: 0.25, tags: ['a', 'b'] },
        messages: [{ role: 'user', content: 'hello', at: startedAt }],
      });
      expect(loaded?._id).toBeInstanceOf(Types.ObjectId);
      expect(loaded?.startedAt).toBeInstanceOf(Date);
      const counter = await reader.collection('counters').findOne({ _id: 'visits' as never });
      expect(counter?.['value']).toEqual(Long.fromString('9007199254740993'));
      await expect(reader.collection('conversations').insertOne({ handle: 'first-chat' })).rejects.toMatchObject({ code: 11000 });
      const indexes = await reader.collection('conversations').indexes();
      expect(indexes).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'handle_1', unique: true, key: { handle: 1 } })]));
    } finally {
      await reader.close();
    }
  });

  it('without the journal, writes each database to its own file shortly after a change, and removes the file of a dropped database', async () => {
    const server = await start({ persistJournal: false, persistDelayMs: 50 });
    const client = await connect(server.uri);
    await client.db('alpha').collection('notes').insertOne({ text: 'in alpha' });
    await client.db('beta').collection('notes').insertOne({ text: 'in beta' });
    await waitFor(async () => expect(await databaseFiles()).toEqual(['alpha.bson', 'beta.bson']));
    expect((await readDatabaseFile(join(directory, 'beta.bson'))).collections[0]?.documents).toEqual([
      { _id: expect.any(ObjectId), text: 'in beta' },
    ]);
    await client.db('alpha').dropDatabase();
    await waitFor(async () => expect(await databaseFiles()).toEqual(['beta.bson']));
    await client.close();
    await server.stop();

    const again = await connect((await start()).uri);
    const names = (await again.db().admin().listDatabases({ nameOnly: true })).databases.map((database) => database.name);
    expect(names).toEqual(['beta']);
    expect(await again.db('beta').collection('notes').find({}, { projection: { _id: 0 } }).toArray()).toEqual([{ text: 'in beta' }]);
  });

  it('keeps collection options and every kind of index, also after renameCollection and $out', async () => {
    const server = await start();
    const client = await connect(`${server.uri}shop`);
    const database = client.db();
    await database.createCollection('orders', { validator: { total: { $gte: 0 } } });
    const orders = database.collection('orders');
    await orders.createIndex({ email: 1 }, { unique: true, partialFilterExpression: { email: { $exists: true } }, name: 'email_once' });
    await orders.createIndex({ createdAt: 1 }, { expireAfterSeconds: 3600 });
    await orders.createIndex({ 'items.sku': 1, total: -1 }, { sparse: true });
    await orders.insertMany([{ email: 'a@example.com', total: 5, items: [{ sku: 'x' }] }, { total: 7 }]);
    await database.collection('drafts').insertOne({ total: 1 });
    await database.collection('drafts').rename('archive');
    await orders.aggregate([{ $match: { total: { $gt: 6 } } }, { $out: 'big_orders' }]).toArray();
    const indexesBefore = await orders.indexes();
    const collectionsBefore = await database.listCollections().toArray();
    await client.close();
    await server.stop();

    const reloaded = (await connect(`${(await start()).uri}shop`)).db();
    expect(await reloaded.collection('orders').indexes()).toEqual(indexesBefore);
    expect(await reloaded.listCollections().toArray()).toEqual(expect.arrayContaining(collectionsBefore));
    expect((await reloaded.listCollections({}, { nameOnly: true }).toArray()).map((collection) => collection.name).sort()).toEqual([
      'archive',
      'big_orders',
      'orders',
    ]);
    expect(await reloaded.collection('big_orders').find({}, { projection: { _id: 0 } }).toArray()).toEqual([{ total: 7 }]);
    await reloaded.collection('orders').insertOne({ total: 9 });
    await expect(reloaded.collection('orders').insertOne({ email: 'a@example.com', total: 1 })).rejects.toMatchObject({ code: 11000 });
  });

  it('keeps documents of several megabytes among small ones, in their order', async () => {
    const server = await start();
    const client = await connect(`${server.uri}files`);
    const big = 'x'.repeat(3 * 1024 * 1024);
    const files = client.db().collection('files');
    await files.insertMany([{ name: 'small' }, { name: 'big', body: big }, ...Array.from({ length: 500 }, (_, index) => ({ name: `n${index}` }))]);
    await client.close();
    await server.stop();
    const reloaded = await connect(`${(await start()).uri}files`);
    const names = (await reloaded.db().collection('files').find({}, { projection: { body: 0 } }).toArray()).map((file) => file['name']);
    expect(names).toEqual(['small', 'big', ...Array.from({ length: 500 }, (_, index) => `n${index}`)]);
    expect((await reloaded.db().collection('files').findOne({ name: 'big' }))?.['body']).toBe(big);
  });

  it('without the journal, writes only committed transactions', async () => {
    const server = await start({ persistJournal: false, persistDelayMs: 50 });
    const client = await connect(`${server.uri}bank`);
    const entries = client.db().collection('entries');
    await entries.insertOne({ name: 'before' });
    const session = client.startSession();
    try {
      session.startTransaction();
      await entries.insertOne({ name: 'uncommitted' }, { session });
      await entries.insertOne({ name: 'outside' });
      await waitFor(async () => expect(await savedNames(join(directory, 'bank.bson'))).toEqual(['before', 'outside']));
      await session.abortTransaction();
      await session.withTransaction(async () => {
        await entries.insertOne({ name: 'committed' }, { session });
      });
    } finally {
      await session.endSession();
    }
    await server.stop();
    const reloaded = await connect(`${(await start()).uri}bank`);
    const names = (await reloaded.db().collection('entries').find().toArray()).map((entry) => entry['name']);
    expect(names).toEqual(['before', 'outside', 'committed']);
  });

  it('refuses to start on a damaged file, naming it, and leaves the file as it was', async () => {
    const server = await start();
    const client = await connect(`${server.uri}diary`);
    await client.db().collection('pages').insertMany([{ text: 'monday' }, { text: 'tuesday' }]);
    await client.close();
    await server.stop();
    const path = join(directory, 'diary.bson');
    const intact = await readFile(path);

    const flipped = Buffer.from(intact);
    const at = flipped.indexOf('tuesday');
    flipped[at] = 'T'.charCodeAt(0);
    await writeFile(path, flipped);
    await expect(startMongoMemory({ persistDirectory: directory })).rejects.toThrow(/diary\.bson: its checksum does not match/);
    await writeFile(path, intact.subarray(0, intact.length - 7));
    await expect(startMongoMemory({ persistDirectory: directory })).rejects.toThrow(/diary\.bson: unreadable BSON/);
    await writeFile(join(directory, 'notes.bson'), 'not a database');
    await writeFile(path, intact);
    await expect(startMongoMemory({ persistDirectory: directory })).rejects.toThrow(/notes\.bson: unreadable BSON/);
    expect(await readFile(join(directory, 'notes.bson'), 'utf8')).toBe('not a database');

    await rm(join(directory, 'notes.bson'));
    const recovered = await connect(`${(await start()).uri}diary`);
    expect(await recovered.db().collection('pages').countDocuments()).toBe(2);
  });

  it('lets one engine at a time use a folder, and takes over the lock of a process that is gone', async () => {
    const first = await start();
    await expect(startMongoMemory({ persistDirectory: directory })).rejects.toThrow(/is in use by process \d+/);
    await first.stop();
    // Left by a crashed process: one that no longer exists, or an earlier process with this pid (a container's pid 1).
    for (const pid of [2 ** 22 + 1, process.pid]) {
      await writeFile(join(directory, 'mongo-memory.lock'), String(pid));
      await (await start()).stop();
    }
  });

  describe('after a crash (the process killed, no final write)', () => {
    let engines: Awaited<ReturnType<typeof prepareEngineProcess>>;
    beforeAll(async () => {
      engines = await prepareEngineProcess();
    });
    afterAll(() => engines.dispose());

    it('without the journal, loses at most the changes of the last delay window', async () => {
      // A delay long enough that the kill below always comes first, even on a loaded machine.
      const engine = await engines.start(directory, { persistJournal: false, persistDelayMs: 1_000 });
      try {
        const client = await new MongoClient(`${engine.uri}journal`, { ...CLIENT_TIMEOUTS, ...KILLED_SERVER_OPTIONS }).connect();
        const gone = serverGone(client);
        const lines = client.db().collection('lines');
        await lines.insertOne({ n: 1 });
        await lines.updateOne({ n: 1 }, { $set: { edited: true } });
        await waitFor(async () => expect(await savedNames(join(directory, 'journal.bson'), 'edited')).toEqual([true]));
        await lines.insertOne({ n: 2 });
        await engine.kill();
        await gone;
        await client.close();
      } finally {
        await engine.kill();
      }
      const reloaded = await connect(`${(await start()).uri}journal`);
      expect(await reloaded.db().collection('lines').find({}, { projection: { _id: 0 } }).toArray()).toEqual([{ n: 1, edited: true }]);
    });
  });
});

async function savedNames(path: string, field = 'name'): Promise<unknown[]> {
  const saved = await readDatabaseFile(path).catch(() => undefined);
  return saved?.collections.flatMap((collection) => collection.documents.map((document) => document[field])) ?? [];
}
