import { createServer, type Socket } from 'node:net';
import { Engine } from './engine.js';
import { DatabasePersistence } from './persistence/database-persistence.js';
import { expireDocuments } from './storage/expire-documents.js';
import { serveConnection } from './wire/serve-connection.js';

/** Options of {@link startMongoMemory}. */
export interface MongoMemoryOptions {
  /** TCP port on 127.0.0.1; 0 or absent picks a free one. */
  port?: number;
  /** How often expired documents of TTL indexes are removed, like MongoDB's TTL monitor; default 60 s. */
  ttlMonitorIntervalMs?: number;
  /**
   * A folder that keeps the data between runs: every database in it is loaded at start, every change is appended to
   * a journal and flushed to disk before it is acknowledged, and the journal is folded into one file per database
   * (written atomically) from time to time and on `stop()`. Absent: memory only.
   */
  persistDirectory?: string;
  /**
   * `false` turns the journal off: a changed database is then rewritten `persistDelayMs` after a change, writes are
   * acknowledged before they are on disk, and a crash loses the changes of that delay (kept to measure the journal's
   * cost against). Default `true`.
   */
  persistJournal?: boolean;
  /** Without the journal: how long after a change its database is written to `persistDirectory`; default 300 ms. */
  persistDelayMs?: number;
  /** With the journal: its size in bytes past which it is folded into the database files; default 16 MB. */
  journalCompactBytes?: number;
  /** Told when writing to `persistDirectory` in the background fails (it is retried); default: a console warning. */
  onPersistError?: (error: unknown) => void;
}

/** A running in-process server. */
export interface MongoMemoryServer {
  /** A `mongodb://` connection string for the server. */
  readonly uri: string;
  /** Closes every connection and the listening socket, then writes pending changes to `persistDirectory`. */
  stop(): Promise<void>;
}

/**
 * Starts an in-process MongoDB wire-protocol server on 127.0.0.1. Every database named in a connection string
 * (`mongodb://127.0.0.1:PORT/<database>`) has collections of its own. Data lives in memory and ends with `stop()`,
 * unless `persistDirectory` names a folder to keep it in. Fails with the file's name when a saved file is damaged.
 */
export async function startMongoMemory(options: MongoMemoryOptions = {}): Promise<MongoMemoryServer> {
  const engine = new Engine();
  const persistence = options.persistDirectory
    ? await DatabasePersistence.open(options.persistDirectory, engine.store, {
        journal: options.persistJournal ?? true,
        delayMs: options.persistDelayMs ?? 300,
        compactBytes: options.journalCompactBytes ?? 16 * 1024 * 1024,
        onError: options.onPersistError ?? warnPersistFailure,
      })
    : undefined;
  if (persistence && options.persistJournal !== false) engine.durability = persistence;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(socket, engine);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (error: unknown) => {
    await persistence?.close();
    throw error;
  });
  // A failed accept (e.g. too many open files) must not crash the test run; the client sees its connection fail.
  server.on('error', () => undefined);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the server has no TCP address');
  engine.ttlMonitorIntervalMs = options.ttlMonitorIntervalMs ?? 60_000;
  const startTtlMonitor = () => setInterval(() => expireDocuments(engine.store), engine.ttlMonitorIntervalMs).unref();
  let ttlMonitor = startTtlMonitor();
  engine.onTtlMonitorIntervalChange = () => {
    clearInterval(ttlMonitor);
    ttlMonitor = startTtlMonitor();
  };
  let stopping: Promise<void> | undefined;
  return {
    uri: `mongodb://127.0.0.1:${address.port}/`,
    stop() {
      clearInterval(ttlMonitor);
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }).then(() => persistence?.close());
      return stopping;
    },
  };
}

function warnPersistFailure(error: unknown): void {
  console.warn(`[mongo-memory] could not save data (will retry): ${error instanceof Error ? error.message : String(error)}`);
}
