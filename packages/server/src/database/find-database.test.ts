import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findDatabase, type FoundDatabase } from './find-database.js';

const TIMEOUTS = { serverSelectionTimeoutMS: 3_000, socketTimeoutMS: 10_000 };

describe('findDatabase() falling back to the in-process engine', () => {
  let dataDirectory: string;
  const started: FoundDatabase[] = [];

  beforeEach(async () => {
    dataDirectory = await mkdtemp(join(tmpdir(), 'ai-chat-find-database-'));
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((database) => database.stop()));
    await rm(dataDirectory, { recursive: true, force: true });
  });

  const find = async (options: { dataDirectory?: string }) => {
    const found = await findDatabase(options);
    started.push(found);
    return found;
  };
  const writeNote = (uri: string, text: string) => withConnection(uri, (connection) => connection.collection('notes').insertOne({ text }));
  const readNotes = (uri: string) =>
    withConnection(uri, async (connection) => (await connection.collection('notes').find().toArray()).map((note) => note['text']));

  it('keeps history in <dataDirectory>/mongo-memory across a restart, and says so', async (context) => {
    const first = await find({ dataDirectory });
    if (first.kind !== 'in-memory') context.skip(`a mongod was found (${first.description}); the engine is not used here`);
    const folder = join(dataDirectory, 'mongo-memory');
    expect(first.description).toContain(`data is kept in ${folder}`);
    expect(first.description).toMatch(/for development only.*set MONGODB_URI for production/);
    await writeNote(first.uri, 'survives');
    await first.stop();
    expect(await readdir(folder)).toContain('chat.bson');

    const second = await find({ dataDirectory });
    expect(await readNotes(second.uri)).toEqual(['survives']);
  });

  it('keeps data in memory only without a data directory (as the tests run)', async (context) => {
    const first = await find({});
    if (first.kind !== 'in-memory') context.skip(`a mongod was found (${first.description}); the engine is not used here`);
    expect(first.description).toMatch(/data lives in memory only.*set MONGODB_URI to keep history/);
    await writeNote(first.uri, 'forgotten');
    expect(await readNotes(first.uri)).toEqual(['forgotten']);
    await first.stop();

    const second = await find({});
    expect(await readNotes(second.uri)).toEqual([]);
  });
});

async function withConnection<T>(uri: string, use: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await mongoose.createConnection(`${uri}chat`, TIMEOUTS).asPromise();
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}
