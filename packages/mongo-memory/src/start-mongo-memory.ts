import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from './engine.js';
import { DatabasePersistence } from './persistence/database-persistence.js';
import { expireDocuments } from './storage/expire-documents.js';
import { ReceiveBudget } from './wire/frame-reader.js';
import { serveConnection } from './wire/serve-connection.js';

/** Options of {@link startMongoMemory}. */
export interface MongoMemoryOptions {
  /**
   * Listen on TCP 127.0.0.1 at this port (0 picks a free one) instead of a private Unix domain socket. There is no
   * authentication: every local process can then connect and read or change every document, so this is only for
   * tests that need TCP (e.g. a proxy in front of the engine). Absent: a Unix domain socket, see `socketDirectory`.
   */
  tcpPort?: number;
  /**
   * Where the private folder that holds the Unix domain socket is created (default: the system's temporary folder,
   * or `/tmp` when that path is too long for a socket). The folder is new (`mkdtemp`), mode 0700, so only this
   * process's user can reach the socket; it is removed by `stop()`.
   */
  socketDirectory?: string;
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
  /**
   * A `mongodb://` connection string for the server, ending in `/` (append a database name): the socket path
   * percent-encoded (`mongodb://%2Ftmp%2Fmongo-memory-XXXXXX%2Fmongod.sock/`), or `mongodb://127.0.0.1:PORT/` with
   * `tcpPort`.
   */
  readonly uri: string;
  /** The Unix domain socket the server listens on; undefined with `tcpPort`. */
  readonly socketPath: string | undefined;
  /** Closes every connection and the listening socket, then writes pending changes to `persistDirectory`. */
  stop(): Promise<void>;
}

/**
 * Starts an in-process MongoDB wire-protocol server on a Unix domain socket in a new folder only this process's user
 * can enter (or on 127.0.0.1 with `tcpPort`). Every database named in a connection string (`${uri}<database>`) has
 * collections of its own. Data lives in memory and ends with `stop()`,
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
  // Shared by every connection: what slow senders of large frames may hold in memory at once (see ReceiveBudget).
  const budget = new ReceiveBudget();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(socket, engine, budget);
  });
  const listening = await listen(server, options).catch(async (error: unknown) => {
    await persistence?.close();
    throw error;
  });
  // A failed accept (e.g. too many open files) must not crash the test run; the client sees its connection fail.
  server.on('error', () => undefined);
  engine.ttlMonitorIntervalMs = options.ttlMonitorIntervalMs ?? 60_000;
  const startTtlMonitor = () => setInterval(() => expireDocuments(engine.store), engine.ttlMonitorIntervalMs).unref();
  let ttlMonitor = startTtlMonitor();
  engine.onTtlMonitorIntervalChange = () => {
    clearInterval(ttlMonitor);
    ttlMonitor = startTtlMonitor();
  };
  let stopping: Promise<void> | undefined;
  return {
    uri: listening.uri,
    socketPath: listening.socketPath,
    stop() {
      clearInterval(ttlMonitor);
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      })
        .then(() => listening.dispose())
        .then(() => persistence?.close());
      return stopping;
    },
  };
}

function warnPersistFailure(error: unknown): void {
  console.warn(`[mongo-memory] could not save data (will retry): ${error instanceof Error ? error.message : String(error)}`);
}

/** Longest Unix domain socket path Linux accepts (`sun_path` is 108 bytes, NUL included). */
const MAX_SOCKET_PATH_BYTES = 107;
const SOCKET_NAME = 'mongod.sock';

interface Listening {
  uri: string;
  socketPath: string | undefined;
  /** Removes the socket's private folder (after the server closed). */
  dispose(): Promise<void>;
}

async function listen(server: Server, options: MongoMemoryOptions): Promise<Listening> {
  if (options.tcpPort !== undefined) {
    await listenOn(server, { port: options.tcpPort, host: '127.0.0.1' });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the server has no TCP address');
    return { uri: `mongodb://127.0.0.1:${address.port}/`, socketPath: undefined, dispose: async () => {} };
  }
  const folder = await privateFolder(options.socketDirectory);
  const socketPath = join(folder, SOCKET_NAME);
  const dispose = () => rm(folder, { recursive: true, force: true });
  try {
    await listenOn(server, { path: socketPath });
  } catch (error) {
    await dispose();
    throw error;
  }
  // The driver takes a socket path as the host, percent-encoded; its name must end in `.sock`.
  return { uri: `mongodb://${encodeURIComponent(socketPath)}/`, socketPath, dispose };
}

// mkdtemp creates the folder with mode 0700 whatever the umask: only this user can enter it, so no other local
// process can open the socket in it (a socket's own mode is not honoured everywhere; the folder's is).
async function privateFolder(parent: string | undefined): Promise<string> {
  const fits = (base: string) => Buffer.byteLength(join(base, 'mongo-memory-XXXXXX', SOCKET_NAME)) <= MAX_SOCKET_PATH_BYTES;
  const base = parent ?? (fits(tmpdir()) ? tmpdir() : '/tmp');
  if (!fits(base)) {
    throw new Error(`socketDirectory ${base} is too long for a Unix domain socket path (at most ${MAX_SOCKET_PATH_BYTES} bytes)`);
  }
  return mkdtemp(join(base, 'mongo-memory-'));
}

function listenOn(server: Server, options: { port: number; host: string } | { path: string }): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
