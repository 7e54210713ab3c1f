import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import mongoose, { type Connection } from 'mongoose';
import { inject } from 'vitest';

/** Timeouts that make a broken server fail a test quickly instead of hanging it. */
export const CLIENT_TIMEOUTS = { serverSelectionTimeoutMS: 3_000, socketTimeoutMS: 10_000, connectTimeoutMS: 3_000 } as const;

/**
 * A connection string for a fresh database of this test's own: on the package run's engine, or on the MongoDB named
 * by `MONGODB_URI` (see `global-setup.ts`), so the same scenarios run against both.
 */
export function conformanceUri(label: string): string {
  const url = new URL(inject('engineTestUri'));
  url.pathname = `/${label.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  return url.toString();
}

/** A connected raw driver client and its database, closed (and the database dropped) by `close()`. */
export async function openDriver(label: string) {
  const client = await new MongoClient(conformanceUri(label), CLIENT_TIMEOUTS).connect();
  const database = client.db();
  return {
    client,
    database,
    async close() {
      await database.dropDatabase().catch(() => undefined);
      await client.close();
    },
  };
}

/** A mongoose connection of its own (not the global one), closed by `close()` after dropping its database. */
export async function openMongoose(label: string): Promise<{ connection: Connection; close(): Promise<void> }> {
  const connection = await mongoose.createConnection(conformanceUri(label), CLIENT_TIMEOUTS).asPromise();
  return {
    connection,
    async close() {
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
    },
  };
}

/** Whether the database under test supports transactions (the engine does; a real standalone mongod does not). */
export async function supportsTransactions(uri: string): Promise<boolean> {
  const client = await new MongoClient(uri, CLIENT_TIMEOUTS).connect();
  try {
    const hello = await client.db('admin').command({ hello: 1 });
    return hello['setName'] !== undefined || hello['msg'] === 'isdbgrid' || (await isEngine(client));
  } finally {
    await client.close();
  }
}

async function isEngine(client: MongoClient): Promise<boolean> {
  const info = await client.db('admin').command({ buildInfo: 1 });
  return info['gitVersion'] === 'ai-chat-mongo-memory';
}
