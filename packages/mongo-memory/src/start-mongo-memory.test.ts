import { mkdtemp, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Socket } from 'node:net';
import { deserialize, serialize, type Document } from 'bson';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startMongoMemory, type MongoMemoryServer } from './index.js';
import { CLIENT_TIMEOUTS } from './testing/conformance-clients.js';
import { rawSocket } from './testing/raw-connection.js';

const OP_MSG = 2013;

/** A hand-built OP_MSG: a body section, optional document sequences, optional trailing checksum bytes. */
function opMsg(requestId: number, body: Document, options: { flags?: number; sequences?: Record<string, Document[]> } = {}): Buffer {
  const sections: Buffer[] = [Buffer.from([0]), Buffer.from(serialize(body))];
  for (const [identifier, documents] of Object.entries(options.sequences ?? {})) {
    const payload = Buffer.concat([Buffer.from(`${identifier}\0`), ...documents.map((document) => Buffer.from(serialize(document)))]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(payload.length + 4);
    sections.push(Buffer.from([1]), size, payload);
  }
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE(options.flags ?? 0);
  const checksum = (options.flags ?? 0) & 1 ? Buffer.alloc(4) : Buffer.alloc(0);
  const header = Buffer.alloc(16);
  const length = 16 + 4 + sections.reduce((total, part) => total + part.length, 0) + checksum.length;
  header.writeInt32LE(length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(OP_MSG, 12);
  return Buffer.concat([header, flags, ...sections, checksum]);
}

/** Sends raw bytes and resolves with the body of the next OP_MSG reply. */
async function exchange(socket: Socket, message: Buffer): Promise<Document> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < received.readInt32LE(0)) return;
      socket.off('data', onData);
      resolve(deserialize(received.subarray(21, received.readInt32LE(0)), { promoteLongs: false }));
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(message);
  });
}

describe('startMongoMemory', () => {
  let server: MongoMemoryServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('listens on a Unix domain socket in a folder only its user can enter, and the driver reaches it there', async () => {
    server = await startMongoMemory();
    const socketPath = server.socketPath ?? '';
    expect(socketPath).toMatch(/\/mongo-memory-[^/]+\/mongod\.sock$/);
    expect(Buffer.byteLength(socketPath)).toBeLessThanOrEqual(107);
    expect(server.uri).toBe(`mongodb://${encodeURIComponent(socketPath)}/`);
    expect((await stat(socketPath)).isSocket()).toBe(true);
    const folder = await stat(dirname(socketPath));
    expect(folder.mode & 0o777).toBe(0o700);
    expect(folder.uid).toBe(process.getuid?.());
    const client = await new MongoClient(`${server.uri}private`, CLIENT_TIMEOUTS).connect();
    try {
      await client.db().collection<{ _id: number; tokenHash: string }>('secrets').insertOne({ _id: 1, tokenHash: 'abc' });
      expect(await client.db().collection<{ _id: number; tokenHash: string }>('secrets').findOne({ _id: 1 })).toEqual({ _id: 1, tokenHash: 'abc' });
    } finally {
      await client.close();
    }
    await server.stop();
    server = undefined;
    await expect(stat(dirname(socketPath))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('puts the socket folder under socketDirectory, and refuses one whose path is too long for a socket', async () => {
    const parent = await mkdtemp('/tmp/mongo-memory-parent-');
    try {
      server = await startMongoMemory({ socketDirectory: parent });
      expect(dirname(dirname(server.socketPath ?? ''))).toBe(parent);
    } finally {
      await server?.stop();
      server = undefined;
      await rm(parent, { recursive: true, force: true });
    }
    await expect(startMongoMemory({ socketDirectory: `/tmp/${'d'.repeat(90)}` })).rejects.toThrow(/too long for a Unix domain socket path/);
  });

  it('listens on TCP 127.0.0.1 only when asked (tcpPort, for tests that need TCP)', async () => {
    server = await startMongoMemory({ tcpPort: 0 });
    expect(server.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.socketPath).toBeUndefined();
    const client = await new MongoClient(server.uri, CLIENT_TIMEOUTS).connect();
    try {
      expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
    } finally {
      await client.close();
    }
  });

  it('keeps each database\'s collections apart', async () => {
    server = await startMongoMemory();
    const client = await new MongoClient(server.uri, CLIENT_TIMEOUTS).connect();
    try {
      await client.db('one').collection('things').insertOne({ from: 'one' });
      await client.db('two').collection('things').insertOne({ from: 'two' });
      expect(await client.db('one').collection('things').find({}, { projection: { _id: 0 } }).toArray()).toEqual([{ from: 'one' }]);
      const names = (await client.db().admin().listDatabases()).databases.map((database) => database.name);
      expect(names).toEqual(expect.arrayContaining(['one', 'two']));
      await client.db('one').dropDatabase();
      expect(await client.db('one').collection('things').countDocuments()).toBe(0);
      expect(await client.db('two').collection('things').countDocuments()).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('lets two clients see each other\'s writes at once', async () => {
    server = await startMongoMemory();
    const [first, second] = await Promise.all([
      new MongoClient(`${server.uri}shared`, CLIENT_TIMEOUTS).connect(),
      new MongoClient(`${server.uri}shared`, CLIENT_TIMEOUTS).connect(),
    ]);
    try {
      await first.db().collection('notes').insertOne({ by: 'first' });
      expect(await second.db().collection('notes').findOne({}, { projection: { _id: 0 } })).toEqual({ by: 'first' });
      await second.db().collection('notes').updateOne({ by: 'first' }, { $set: { seenBy: 'second' } });
      expect(await first.db().collection('notes').findOne({}, { projection: { _id: 0 } })).toEqual({ by: 'first', seenBy: 'second' });
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('answers an unsorted query through an index in natural order, like its scan (engine-specific)', async () => {
    server = await startMongoMemory();
    const client = await new MongoClient(`${server.uri}order`, CLIENT_TIMEOUTS).connect();
    try {
      const lines = client.db().collection('lines');
      await lines.createIndex({ group: 1, at: 1 });
      await lines.insertMany([{ n: 1, group: 'b' }, { n: 2, group: 'a' }, { n: 3, group: 'a' }, { n: 4, group: 'b' }, { n: 5, group: 'a' }]);
      await lines.updateOne({ n: 1 }, { $set: { group: 'a' } });
      await lines.updateOne({ n: 3 }, { $set: { note: 'edited' } });
      const order = async (filter: Document) => (await lines.find(filter).toArray()).map((line) => line['n']);
      expect(await order({ group: 'a' })).toEqual([1, 2, 3, 5]);
      expect(await order({ group: { $in: ['b', 'a'] } })).toEqual([1, 2, 3, 4, 5]);
      expect(await order({ group: 'a', n: { $gt: 1 } })).toEqual([2, 3, 5]);
    } finally {
      await client.close();
    }
  });

  it('stop() closes client sockets and the listener', async () => {
    server = await startMongoMemory();
    const socket = await rawSocket(server.uri);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const uri = server.uri;
    await server.stop();
    server = undefined;
    await closed;
    await expect(rawSocket(uri)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('answers OP_MSG with a checksum, merges document sequences, and stays silent for moreToCome', async () => {
    server = await startMongoMemory();
    const socket = await rawSocket(server.uri);
    try {
      const inserted = await exchange(socket, opMsg(1, { insert: 'raw', $db: 'wire' }, { flags: 1, sequences: { documents: [{ _id: 1 }, { _id: 2 }] } }));
      expect(inserted).toMatchObject({ ok: 1, n: 2 });
      socket.write(opMsg(2, { insert: 'raw', documents: [{ _id: 3 }], writeConcern: { w: 0 }, $db: 'wire' }, { flags: 2 }));
      const found = await exchange(socket, opMsg(3, { find: 'raw', filter: {}, $db: 'wire' }));
      expect(found['cursor']['firstBatch']).toEqual([{ _id: 1 }, { _id: 2 }, { _id: 3 }]);
      expect(found['cursor']['id']).toEqual(expect.objectContaining({ _bsontype: 'Long' }));
    } finally {
      socket.destroy();
    }
  });

  it('carries documents of several megabytes and many concurrent clients', async () => {
    server = await startMongoMemory();
    const uri = `${server.uri}load`;
    const clients = await Promise.all(Array.from({ length: 8 }, () => new MongoClient(uri, { ...CLIENT_TIMEOUTS, maxPoolSize: 4 }).connect()));
    try {
      const big = 'x'.repeat(6 * 1024 * 1024);
      const files = clients[0]?.db().collection('files');
      await files?.insertOne({ name: 'big', body: big });
      expect((await clients[1]?.db().collection('files').findOne({ name: 'big' }))?.['body']).toHaveLength(big.length);
      await Promise.all(
        clients.map(async (client, clientIndex) => {
          const counters = client.db().collection('counters');
          await Promise.all(Array.from({ length: 50 }, (_, index) => counters.insertOne({ clientIndex, index })));
          await counters.updateOne({ name: 'total' }, { $inc: { value: 1 } }, { upsert: true });
        }),
      );
      const counters = clients[0]?.db().collection('counters');
      expect(await counters?.countDocuments({ clientIndex: { $exists: true } })).toBe(400);
      expect((await counters?.findOne({ name: 'total' }))?.['value']).toBe(8);
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  });

  it('closes only the connection that sent garbage and keeps serving others', async () => {
    server = await startMongoMemory();
    const bad = await rawSocket(server.uri);
    const closed = new Promise<void>((resolve) => bad.once('close', () => resolve()));
    bad.write(Buffer.from([5, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    await closed;
    const client = await new MongoClient(server.uri, CLIENT_TIMEOUTS).connect();
    try {
      expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
    } finally {
      await client.close();
    }
  });

  it('commits a transaction all or nothing when a unique key was taken meanwhile (engine-specific)', async () => {
    server = await startMongoMemory();
    const client = await new MongoClient(`${server.uri}atomic`, CLIENT_TIMEOUTS).connect();
    const session = client.startSession();
    try {
      const accounts = client.db().collection('accounts');
      await accounts.createIndex({ handle: 1 }, { unique: true });
      await accounts.insertOne({ handle: 'a', balance: 10 });
      session.startTransaction();
      await accounts.updateOne({ handle: 'a' }, { $inc: { balance: 5 } }, { session });
      await accounts.insertOne({ handle: 'b', balance: 0 }, { session });
      await accounts.insertOne({ handle: 'b', balance: 99 });
      await expect(session.commitTransaction()).rejects.toMatchObject({ code: 11000 });
      expect(await accounts.find({}, { projection: { _id: 0 } }).sort({ handle: 1 }).toArray()).toEqual([
        { handle: 'a', balance: 10 },
        { handle: 'b', balance: 99 },
      ]);
    } finally {
      await session.endSession();
      await client.close();
    }
  });

  it('fails a commit with a retryable WriteConflict when someone else changed a written document (engine-specific)', async () => {
    server = await startMongoMemory();
    const client = await new MongoClient(`${server.uri}conflict`, CLIENT_TIMEOUTS).connect();
    const session = client.startSession();
    try {
      const stock = client.db().collection('stock');
      await stock.insertOne({ sku: 'a', qty: 10 });
      session.startTransaction();
      await stock.updateOne({ sku: 'a' }, { $inc: { qty: -1 } }, { session });
      await stock.updateOne({ sku: 'a' }, { $set: { qty: 0 } });
      const failure = await session.commitTransaction().catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: 112, codeName: 'WriteConflict' });
      expect((failure as { hasErrorLabel(label: string): boolean }).hasErrorLabel('TransientTransactionError')).toBe(true);
      expect((await stock.findOne({ sku: 'a' }))?.['qty']).toBe(0);

      let attempts = 0;
      await session.withTransaction(async () => {
        attempts += 1;
        await stock.updateOne({ sku: 'a' }, { $inc: { qty: 5 } }, { session });
        if (attempts === 1) await stock.updateOne({ sku: 'a' }, { $inc: { qty: 100 } });
      });
      expect(attempts).toBe(2);
      expect((await stock.findOne({ sku: 'a' }))?.['qty']).toBe(105);
    } finally {
      await session.endSession();
      await client.close();
    }
  });

  it('removes documents that a TTL index says have expired, on its monitor\'s schedule', async () => {
    server = await startMongoMemory({ ttlMonitorIntervalMs: 50 });
    const client = await new MongoClient(`${server.uri}ttl`, CLIENT_TIMEOUTS).connect();
    try {
      const limits = client.db().collection('limits');
      await limits.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
      await limits.insertMany([
        { key: 'old', expiresAt: new Date(Date.now() - 1_000) },
        { key: 'fresh', expiresAt: new Date(Date.now() + 60_000) },
        { key: 'no date', expiresAt: 'tomorrow' },
      ]);
      await expect.poll(() => limits.countDocuments(), { timeout: 2_000, interval: 25 }).toBe(2);
      expect((await limits.find().sort({ key: 1 }).toArray()).map((document) => document['key'])).toEqual(['fresh', 'no date']);
    } finally {
      await client.close();
    }
  });

  it('keeps 10,000 keys of a unique index apart and refuses the one repeated (its speed is measured in bench/, not here)', async () => {
    server = await startMongoMemory();
    const client = await new MongoClient(`${server.uri}fast`, CLIENT_TIMEOUTS).connect();
    try {
      const collection = client.db().collection('keys');
      await collection.createIndex({ key: 1 }, { unique: true });
      for (let batch = 0; batch < 10; batch += 1) {
        await collection.insertMany(Array.from({ length: 1_000 }, (_, index) => ({ key: `key-${batch * 1_000 + index}` })));
      }
      expect(await collection.countDocuments()).toBe(10_000);
      await expect(collection.insertOne({ key: 'key-9999' })).rejects.toMatchObject({ code: 11000 });
    } finally {
      await client.close();
    }
  });
});
