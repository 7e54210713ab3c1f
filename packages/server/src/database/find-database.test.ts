import { chmod, mkdtemp, readdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectDatabase } from './connect-database.js';
import { findDatabase, type FindDatabaseOptions, type FoundDatabase } from './find-database.js';

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

  const find = async (options: FindDatabaseOptions) => {
    const found = await findDatabase(options);
    started.push(found);
    return found;
  };
  const writeNote = (uri: string, text: string) => withConnection(uri, (connection) => connection.collection('notes').insertOne({ text }));
  const readNotes = (uri: string) =>
    withConnection(uri, async (connection) => (await connection.collection('notes').find().toArray()).map((note) => note['text']));

  it('is reachable only through a Unix domain socket in a folder only this user can enter: no TCP listener', async () => {
    const before = await tcpListenersOfThisProcess();
    const found = await find({});
    expect(found.kind).toBe('in-memory');
    expect(await tcpListenersOfThisProcess()).toEqual(before);
    const socketPath = decodeURIComponent(new URL(found.uri).host);
    expect(socketPath).toMatch(/^\/.*\.sock$/);
    expect((await stat(socketPath)).isSocket()).toBe(true);
    expect((await stat(dirname(socketPath))).mode & 0o777).toBe(0o700);
    await writeNote(found.uri, 'through the socket');
    expect(await readNotes(found.uri)).toEqual(['through the socket']);
  });

  it('keeps history in <dataDirectory>/mongo-memory across a restart, and says so', async () => {
    const first = await find({ dataDirectory });
    expect(first.kind).toBe('in-memory');
    const folder = join(dataDirectory, 'mongo-memory');
    expect(first.description).toContain(`data is kept in ${folder}`);
    expect(first.description).toMatch(/for development only.*set MONGODB_URI for production/);
    await writeNote(first.uri, 'survives');
    await first.stop();
    expect(await readdir(folder)).toContain('chat.bson');

    const second = await find({ dataDirectory });
    expect(await readNotes(second.uri)).toEqual(['survives']);
  });

  it('keeps data in memory only without a data directory (as the tests run)', async () => {
    const first = await find({});
    expect(first.kind).toBe('in-memory');
    expect(first.description).toMatch(/data lives in memory only.*set MONGODB_URI to keep history/);
    await writeNote(first.uri, 'forgotten');
    expect(await readNotes(first.uri)).toEqual(['forgotten']);
    await first.stop();

    const second = await find({});
    expect(await readNotes(second.uri)).toEqual([]);
  });
});

describe('findDatabase({ embedded: \'mongod\' }) when no mongod can be had', () => {
  let scratch: string;
  let restoreEnvironment: () => void;
  const started: FoundDatabase[] = [];

  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'ai-chat-mongod-'));
    restoreEnvironment = setEnvironment({ MONGOMS_SYSTEM_BINARY: undefined, MONGOMS_DOWNLOAD_DIR: join(scratch, 'cache') });
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((database) => database.stop()));
    restoreEnvironment();
    await rm(scratch, { recursive: true, force: true });
  });

  it('downloads the binary from the mirror on first start, and falls back to the engine with one line when the download fails', async () => {
    const requested: string[] = [];
    const mirror = await listen(createServer((request, response) => {
      requested.push(request.url ?? '');
      response.writeHead(404).end('not here');
    }));
    try {
      const address = mirror.address() as { port: number };
      const restore = setEnvironment({ MONGOMS_DOWNLOAD_MIRROR: `http://127.0.0.1:${address.port}`, MONGOMS_USE_HTTP: 'true' });
      const lines: Array<[string, string]> = [];
      const logger = { info: (line: string) => void lines.push(['info', line]), warn: (line: string) => void lines.push(['warn', line]) };
      try {
        const database = await connectDatabase({ embedded: 'mongod', logger, serverSelectionTimeoutMS: 3_000 });
        started.push({ ...database.found, uri: '', stop: () => database.close() });
        expect(database.found.kind).toBe('in-memory');
        expect(await database.connection.db?.admin().command({ ping: 1 })).toMatchObject({ ok: 1 });
      } finally {
        restore();
      }
      expect(requested).toEqual([expect.stringMatching(/^\/linux\/mongodb-linux-.*\.tgz$/)]);
      expect(lines[0]).toEqual(['info', expect.stringMatching(/^database: downloading mongod \S+ into .*cache \(first start only\)$/)]);
      const fallback = lines.filter(([, line]) => line.includes('EMBEDDED_DATABASE'));
      expect(fallback).toEqual([['warn', expect.stringMatching(/^EMBEDDED_DATABASE=mongod: no mongod \(.*404.*\); using the in-process engine instead$/)]]);
      expect(fallback[0]?.[1]).not.toContain('\n');
      expect(lines.at(-1)).toEqual(['warn', expect.stringContaining('database: @ai-chat/mongo-memory (in-process engine')]);
      expect(lines).toHaveLength(3);
    } finally {
      await new Promise((resolve) => mirror.close(resolve));
    }
  });

  it('stops a mongod that does not accept connections in time before falling back (nothing left running)', async () => {
    const fake = join(scratch, 'mongod');
    const pidFile = join(scratch, 'mongod.pid');
    // Answers the version check like a mongod, then never says it is waiting for connections.
    await writeFile(fake, `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "db version v8.2.6"; exit 0; fi\necho $$ > '${pidFile}'\nexec sleep 600\n`);
    await chmod(fake, 0o755);
    restoreEnvironment = chain(restoreEnvironment, setEnvironment({ MONGOMS_SYSTEM_BINARY: fake, MONGOMS_SYSTEM_BINARY_VERSION_CHECK: 'false' }));
    const found = await findDatabase({ embedded: 'mongod', startTimeoutMs: 1_000 });
    started.push(found);
    expect(found.kind).toBe('in-memory');
    expect(found.fallback).toMatch(/^EMBEDDED_DATABASE=mongod: no mongod \(.*failed to start within 1000ms.*\); using the in-process engine instead$/);
    const pid = Number(await readFile(pidFile, 'utf8'));
    expect(pid).toBeGreaterThan(0);
    expect(isRunning(pid)).toBe(false);
  });
});

function setEnvironment(values: Record<string, string | undefined>): () => void {
  const previous = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  const assign = (entries: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  assign(values);
  return () => assign(previous);
}

function chain(first: () => void, second: () => void): () => void {
  return () => {
    second();
    first();
  };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function listen(server: Server): Promise<Server> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** The TCP sockets this process listens on (Linux: its socket descriptors that /proc/net/tcp{,6} lists as LISTEN). */
async function tcpListenersOfThisProcess(): Promise<string[]> {
  const inodes = new Set<string>();
  for (const descriptor of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${descriptor}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  const listening: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const rows = (await readFile(table, 'utf8').catch(() => '')).split('\n').slice(1);
    for (const row of rows) {
      const fields = row.trim().split(/\s+/);
      if (fields[3] === '0A' && fields[9] && inodes.has(fields[9])) listening.push(`${fields[1]}`);
    }
  }
  return listening.sort();
}

async function withConnection<T>(uri: string, use: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await mongoose.createConnection(`${uri}chat`, TIMEOUTS).asPromise();
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}
