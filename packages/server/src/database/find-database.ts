import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
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
  /**
   * Where an embedded database keeps its data (`mongod` in it, the in-process engine in its `mongo-memory` folder);
   * absent: a temporary folder for `mongod`, memory only for the engine.
   */
  dataDirectory?: string | undefined;
  /** How long starting an embedded `mongod` may take before the in-memory engine is used instead. */
  startTimeoutMs?: number;
}

/**
 * Finds the MongoDB the server uses, in order: `MONGODB_URI`; an embedded `mongod` through mongodb-memory-server
 * when its binary is on this machine (its cache or `MONGOMS_SYSTEM_BINARY`; never downloaded here); otherwise the
 * in-process `@ai-chat/mongo-memory` engine, which keeps its data in `dataDirectory/mongo-memory` when given one
 * (development only) and in memory otherwise (tests).
 */
export async function findDatabase(options: FindDatabaseOptions = {}): Promise<FoundDatabase> {
  if (options.uri) {
    return { kind: 'external', uri: options.uri, description: `MongoDB at ${redactUri(options.uri)}`, stop: async () => {} };
  }
  const mongod = await startEmbeddedMongod(options).catch(() => undefined);
  if (mongod) return mongod;
  return startInProcessEngine(options.dataDirectory);
}

async function startInProcessEngine(dataDirectory: string | undefined): Promise<FoundDatabase> {
  const persistDirectory = dataDirectory ? join(dataDirectory, 'mongo-memory') : undefined;
  const memory = await startMongoMemory({ persistDirectory });
  const description = persistDirectory
    ? `@ai-chat/mongo-memory (in-process engine, for development only: data is kept in ${persistDirectory}; set MONGODB_URI for production)`
    : '@ai-chat/mongo-memory (in-process engine: data lives in memory only and is lost on exit; set MONGODB_URI to keep history)';
  return { kind: 'in-memory', uri: memory.uri, description, stop: () => memory.stop() };
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
