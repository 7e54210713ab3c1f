import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMongoMemory } from '@ai-chat/mongo-memory';
import { DryMongoBinary, MongoBinary, MongoInstance } from 'mongodb-memory-server-core';

/** Which kind of MongoDB the server found. */
export type DatabaseKind = 'external' | 'mongod' | 'in-memory';

/**
 * `EMBEDDED_DATABASE`: what the server starts when there is no `MONGODB_URI`. `engine` (the default) is the
 * in-process `@ai-chat/mongo-memory` engine; `mongod` is a real `mongod` run by mongodb-memory-server (its binary
 * from `MONGOMS_SYSTEM_BINARY`, its cache, or downloaded into the cache on first start), with the engine as fallback.
 */
export const EMBEDDED_DATABASES = ['engine', 'mongod'] as const;
/** One of {@link EMBEDDED_DATABASES}. */
export type EmbeddedDatabase = (typeof EMBEDDED_DATABASES)[number];

/** A MongoDB to connect to, and how to release it when it was started in process. */
export interface FoundDatabase {
  kind: DatabaseKind;
  uri: string;
  /** A line for the log that says which database this is (never with credentials). */
  description: string;
  /** Set when `EMBEDDED_DATABASE=mongod` could not start a `mongod`: the one line that says why and what is used. */
  fallback?: string;
  /** Stops a database that this process started; does nothing for an external one. */
  stop(): Promise<void>;
}

/** Options of {@link findDatabase}. */
export interface FindDatabaseOptions {
  /** `MONGODB_URI`: a real MongoDB (a replica set or Atlas in production). */
  uri?: string | undefined;
  /** `EMBEDDED_DATABASE`: what to start without `uri`; default `engine`. */
  embedded?: EmbeddedDatabase | undefined;
  /**
   * Where an embedded database keeps its data (`mongod` in it, the in-process engine in its `mongo-memory` folder);
   * absent: a temporary folder for `mongod`, memory only for the engine.
   */
  dataDirectory?: string | undefined;
  /** How long a `mongod` may take to accept connections before it is stopped and the engine used instead (15 s). */
  startTimeoutMs?: number;
  /** Told what happens while a `mongod` is looked for or downloaded (the download prints its own progress). */
  onProgress?: (line: string) => void;
}

/**
 * Finds the MongoDB the server uses: `MONGODB_URI` when set; otherwise what `embedded` says. `engine` (the default):
 * the in-process `@ai-chat/mongo-memory` engine on a Unix domain socket in a folder only this user can enter, keeping
 * its data in `dataDirectory/mongo-memory` when given one (development only) and in memory otherwise (tests).
 * `mongod`: a real `mongod` on 127.0.0.1 through mongodb-memory-server, its binary downloaded into the cache on first
 * start (with progress); when it cannot be had or does not accept connections within `startTimeoutMs`, whatever
 * was started is stopped and the engine is used, with `fallback` saying why in one line.
 */
export async function findDatabase(options: FindDatabaseOptions = {}): Promise<FoundDatabase> {
  if (options.uri) {
    return { kind: 'external', uri: options.uri, description: `MongoDB at ${redactUri(options.uri)}`, stop: async () => {} };
  }
  if ((options.embedded ?? 'engine') === 'engine') return startInProcessEngine(options.dataDirectory);
  try {
    return await startEmbeddedMongod(options);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
    const engine = await startInProcessEngine(options.dataDirectory);
    return { ...engine, fallback: `EMBEDDED_DATABASE=mongod: no mongod (${reason}); using the in-process engine instead` };
  }
}

async function startInProcessEngine(dataDirectory: string | undefined): Promise<FoundDatabase> {
  const persistDirectory = dataDirectory ? join(dataDirectory, 'mongo-memory') : undefined;
  const memory = await startMongoMemory({ persistDirectory });
  const description = persistDirectory
    ? `@ai-chat/mongo-memory (in-process engine, for development only: data is kept in ${persistDirectory}; set MONGODB_URI for production)`
    : '@ai-chat/mongo-memory (in-process engine: data lives in memory only and is lost on exit; set MONGODB_URI to keep history)';
  return { kind: 'in-memory', uri: memory.uri, description, stop: () => memory.stop() };
}

async function startEmbeddedMongod(options: FindDatabaseOptions): Promise<FoundDatabase> {
  const binaryOptions = await DryMongoBinary.generateOptions();
  if (!(await DryMongoBinary.locateBinary(binaryOptions))) {
    options.onProgress?.(`database: downloading mongod ${binaryOptions.version} into ${binaryOptions.downloadDir} (first start only)`);
  }
  // Downloads into the cache when missing (mongodb-memory-server prints the progress); fails without network access.
  const binary = await MongoBinary.getPath();
  const dbPath = options.dataDirectory ?? (await mkdtemp(join(tmpdir(), 'ai-chat-mongod-')));
  await mkdir(dbPath, { recursive: true });
  const removeTemporary = () => (options.dataDirectory ? Promise.resolve() : rm(dbPath, { recursive: true, force: true }));
  // MongoInstance rather than MongoMemoryServer: when the start fails or times out, MongoMemoryServer has no handle
  // on the process it spawned and leaves it running; this one is stopped (SIGINT, then SIGKILL) before falling back.
  const instance = new MongoInstance({
    instance: {
      ip: '127.0.0.1',
      port: await freePort(),
      dbPath,
      storageEngine: 'wiredTiger',
      launchTimeout: Math.max(options.startTimeoutMs ?? 15_000, 1_000),
    },
    binary: { systemBinary: binary },
  });
  try {
    await instance.start();
  } catch (error) {
    await instance.stop();
    await removeTemporary();
    throw error;
  }
  const { port } = instance.instanceOpts;
  return {
    kind: 'mongod',
    uri: `mongodb://127.0.0.1:${port}/`,
    description: `embedded mongod (${binary}) on 127.0.0.1:${port}${options.dataDirectory ? `, data in ${options.dataDirectory}` : ''}`,
    stop: async () => {
      await instance.stop();
      await removeTemporary();
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A connection string without its password, fit for a log line. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}
