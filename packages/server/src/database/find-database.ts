import { mkdir } from 'node:fs/promises';
import { startMongoMemory } from '@ai-chat/mongo-memory';
import { DryMongoBinary, MongoMemoryServer } from 'mongodb-memory-server-core';

/** Which kind of MongoDB the server found. */
export type DatabaseKind = 'external' | 'mongod' | 'in-memory';

/** A MongoDB to connect to, and how to release it when it was started in process. */
export interface FoundDatabase {
  kind: DatabaseKind;
  uri: string;
  /** A line for the log that says which database this is (never with credentials). */
  description: string;
  /** Stops a database that this process started; does nothing for an external one. */
  stop(): Promise<void>;
}

/** Options of {@link findDatabase}. */
export interface FindDatabaseOptions {
  /** `MONGODB_URI`: a real MongoDB (a replica set or Atlas in production). */
  uri?: string | undefined;
  /** Where an embedded `mongod` keeps its data; absent keeps it in a temporary folder. */
  dataDirectory?: string | undefined;
  /** How long starting an embedded `mongod` may take before the in-memory engine is used instead. */
  startTimeoutMs?: number;
}

/**
 * Finds the MongoDB the server uses, in order: `MONGODB_URI`; an embedded `mongod` through mongodb-memory-server
 * when its binary is on this machine (its cache or `MONGOMS_SYSTEM_BINARY`; never downloaded here); otherwise the
 * in-process `@ai-chat/mongo-memory` engine, whose data lives in memory only.
 */
export async function findDatabase(options: FindDatabaseOptions = {}): Promise<FoundDatabase> {
  if (options.uri) {
    return { kind: 'external', uri: options.uri, description: `MongoDB at ${redactUri(options.uri)}`, stop: async () => {} };
  }
  const mongod = await startEmbeddedMongod(options).catch(() => undefined);
  if (mongod) return mongod;
  const memory = await startMongoMemory();
  return {
    kind: 'in-memory',
    uri: memory.uri,
    description: '@ai-chat/mongo-memory (in-process engine: data lives in memory only and is lost on exit)',
    stop: () => memory.stop(),
  };
}

async function startEmbeddedMongod(options: FindDatabaseOptions): Promise<FoundDatabase | undefined> {
  const binary = await DryMongoBinary.locateBinary(DryMongoBinary.getEnsuredOptions());
  if (!binary) return undefined;
  if (options.dataDirectory) await mkdir(options.dataDirectory, { recursive: true });
  const instance = options.dataDirectory
    ? { dbPath: options.dataDirectory, storageEngine: 'wiredTiger' as const, ip: '127.0.0.1' }
    : { ip: '127.0.0.1' };
  const start = MongoMemoryServer.create({ instance, binary: { systemBinary: binary } });
  const server = await withTimeout(start, options.startTimeoutMs ?? 15_000);
  return {
    kind: 'mongod',
    uri: server.getUri(),
    description: `embedded mongod (${binary})${options.dataDirectory ? `, data in ${options.dataDirectory}` : ''}`,
    stop: async () => {
      await server.stop({ doCleanup: !options.dataDirectory });
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}

/** A connection string without its password, fit for a log line. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}
