import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Document } from 'bson';
import { MongoClient } from 'mongodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMongoMemory, type MongoMemoryOptions, type MongoMemoryServer } from '../start-mongo-memory.js';
import { CLIENT_TIMEOUTS } from '../testing/conformance-clients.js';
import { crashWhileWriting } from '../testing/crash-writes.js';
import { prepareEngineProcess } from '../testing/engine-process.js';
import { waitFor } from '../testing/wait-for.js';
import { readDatabaseFile } from './database-file.js';
import { encodeRecord, readJournal } from './journal-file.js';

// The long form (at least 20 kills) runs with CRASH_ROUNDS=25 (`npm run crash`, also part of `npm run bench`).
const CRASH_ROUNDS = Number(process.env['CRASH_ROUNDS'] ?? 3);

describe('startMongoMemory({ persistDirectory }): the journal', () => {
  let directory: string;
  const running: MongoMemoryServer[] = [];
  const clients: MongoClient[] = [];

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'mongo-memory-journal-'));
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
  const journaled = async (): Promise<Document[]> => {
    const names = (await readdir(directory)).filter((name) => name.startsWith('journal-')).sort();
    const changes: Document[] = [];
    for (const name of names) for (const record of readJournal(await readFile(join(directory, name))).records) changes.push(...record.changes);
    return changes;
  };

  it('has every acknowledged write on disk before the reply: insert, update, findAndModify, delete', async () => {
    const server = await start();
    const notes = (await connect(`${server.uri}diary`)).db().collection('notes');
    // No waiting anywhere below: each write's reply means its record is already in the journal file.
    await notes.insertOne({ _id: 'a' as never, text: 'first' });
    expect(await journaled()).toContainEqual(expect.objectContaining({ o: 'put', d: 'diary', c: 'notes', doc: { _id: 'a', text: 'first' } }));
    await notes.updateOne({ _id: 'a' as never }, { $set: { text: 'edited' } });
    expect((await journaled()).at(-1)).toMatchObject({ o: 'put', doc: { _id: 'a', text: 'edited' } });
    await notes.findOneAndUpdate({ _id: 'a' as never }, { $set: { text: 'again' } });
    expect((await journaled()).at(-1)).toMatchObject({ o: 'put', doc: { _id: 'a', text: 'again' } });
    await notes.createIndex({ text: 1 }, { unique: true });
    expect((await journaled()).at(-1)).toMatchObject({ o: 'define', c: 'notes', indexes: [expect.objectContaining({ name: 'text_1', unique: true })] });
    await notes.deleteOne({ _id: 'a' as never });
    expect((await journaled()).at(-1)).toMatchObject({ o: 'delete', id: 'a' });
  });

  it('journals only committed transactions', async () => {
    const server = await start();
    const client = await connect(`${server.uri}bank`);
    const entries = client.db().collection('entries');
    await entries.insertOne({ name: 'before' });
    const session = client.startSession();
    try {
      session.startTransaction();
      await entries.insertOne({ name: 'uncommitted' }, { session });
      await session.abortTransaction();
      await session.withTransaction(async () => {
        await entries.insertOne({ name: 'committed' }, { session });
      });
    } finally {
      await session.endSession();
    }
    const names = (await journaled()).filter((change) => change['o'] === 'put').map((change) => (change['doc'] as Document)['name']);
    expect(names).toEqual(['before', 'committed']);
  });

  it('folds the journal into the database files once it grows past journalCompactBytes, and on stop', async () => {
    const server = await start({ journalCompactBytes: 4_000 });
    const lines = (await connect(`${server.uri}book`)).db().collection('lines');
    for (let index = 0; index < 100; index += 1) await lines.insertOne({ index, text: 'y'.repeat(100) });
    // The journal keeps only what came after the last fold: far less than the 100 records written.
    await waitFor(async () => expect((await readDatabaseFile(join(directory, 'book.bson'))).collections[0]?.documents.length).toBeGreaterThan(20));
    const journalBytes = await Promise.all((await readdir(directory)).filter((name) => name.startsWith('journal-')).map(async (name) => (await stat(join(directory, name))).size));
    expect(journalBytes.reduce((total, size) => total + size, 0)).toBeLessThan(12_000);
    await server.stop();
    running.splice(0);
    expect((await readdir(directory)).filter((name) => name.startsWith('journal-'))).toEqual([]);
    expect((await readDatabaseFile(join(directory, 'book.bson'))).collections[0]?.documents.map((document) => document['index'])).toEqual(
      Array.from({ length: 100 }, (_, index) => index),
    );
  });

  describe('after a crash', () => {
    let engines: Awaited<ReturnType<typeof prepareEngineProcess>>;
    beforeAll(async () => {
      engines = await prepareEngineProcess();
    });
    afterAll(() => engines.dispose());

    it('replays the journal, cutting off a torn last record, and refuses a damaged record before the last file', async () => {
      const engine = await engines.start(directory);
      try {
        const client = await new MongoClient(`${engine.uri}diary`, CLIENT_TIMEOUTS).connect();
        const pages = client.db().collection('pages');
        await pages.createIndex({ day: 1 }, { unique: true });
        await pages.insertMany([{ day: 'monday' }, { day: 'tuesday' }]);
        await pages.updateOne({ day: 'monday' }, { $set: { mood: 'fine' } });
        await client.close(true);
      } finally {
        await engine.kill();
      }
      const [journal] = (await readdir(directory)).filter((name) => name.startsWith('journal-'));
      expect(journal).toBeDefined();
      const path = join(directory, journal as string);
      const whole = await readFile(path);
      // A record cut short, as a crash in the middle of its write leaves it.
      await appendFile(path, encodeRecord(10_000, [new Uint8Array(40).fill(7)]).subarray(0, 30));
      const server = await start();
      const reader = (await connect(`${server.uri}diary`)).db().collection('pages');
      expect(await reader.find({}, { projection: { _id: 0 } }).toArray()).toEqual([{ day: 'monday', mood: 'fine' }, { day: 'tuesday' }]);
      await expect(reader.insertOne({ day: 'monday' })).rejects.toMatchObject({ code: 11000 });
      await server.stop();
      running.splice(0);

      // The same journal, damaged in its middle and followed by a later file: that is not a torn write, start fails.
      const damaged = Buffer.from(whole);
      damaged.writeUInt8((damaged.at(-3) ?? 0) ^ 0xff, damaged.length - 3);
      await writeFile(path, damaged);
      await writeFile(join(directory, 'journal-9999999999999999.log'), '');
      await expect(startMongoMemory({ persistDirectory: directory })).rejects.toMatchObject({ name: 'DatabaseFileError', path });
    });

    it(`loses no acknowledged write when killed at random moments during a stream of writes (${CRASH_ROUNDS} kills)`, async () => {
      const seed = Number(process.env['CRASH_SEED'] ?? Date.now() % 1_000_000);
      const report = await crashWhileWriting({ start: engines.start, directory, rounds: CRASH_ROUNDS, seed });
      console.log(`crash test (seed ${seed}): ${JSON.stringify(report)}`);
      expect(report).toMatchObject({ rounds: CRASH_ROUNDS, lost: 0, damaged: 0 });
      expect(report.acknowledged).toBeGreaterThanOrEqual(CRASH_ROUNDS * 20);
    }, 60_000 + CRASH_ROUNDS * 20_000);
  });
});
