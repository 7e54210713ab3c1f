import { mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineStore } from '../storage/engine-store.js';
import { DatabaseFileError, readDatabaseFile, writeDatabaseFile } from './database-file.js';
import { restoreDatabase, snapshotDatabase } from './database-snapshot.js';
import { lockDirectory } from './lock-directory.js';

const EXTENSION = '.bson';

/** Options of {@link DatabasePersistence.open}. */
export interface PersistenceOptions {
  /** How long after a change its database is written; changes in between are written together. */
  delayMs: number;
  /** Told about a background write that failed (it is retried with the next change, and on close). */
  onError(error: unknown): void;
}

/**
 * Keeps the engine's databases in a folder, one file per database: loads them all at start, then writes a changed
 * database at most `delayMs` after its change (and every pending one on `close()`). Only committed data is ever
 * written, since the engine's store holds nothing else.
 */
export class DatabasePersistence {
  readonly #changed = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(
    readonly directory: string,
    readonly store: EngineStore,
    readonly options: PersistenceOptions,
    readonly unlock: () => Promise<void>,
  ) {}

  /** Locks the folder (one engine per folder), loads every database file in it, then watches the store. */
  static async open(directory: string, store: EngineStore, options: PersistenceOptions): Promise<DatabasePersistence> {
    await mkdir(directory, { recursive: true });
    const unlock = await lockDirectory(directory);
    try {
      await loadDatabases(directory, store);
    } catch (error) {
      await unlock();
      throw error;
    }
    const persistence = new DatabasePersistence(directory, store, options, unlock);
    store.onChange = (database) => persistence.#markChanged(database);
    return persistence;
  }

  /** Writes every changed database now; resolves when they are on disk. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const names = [...this.#changed];
    this.#changed.clear();
    const written = this.#writing.then(() => this.#write(names));
    this.#writing = written.catch(() => undefined);
    return written;
  }

  /** Stops watching, writes what is pending and releases the folder; fails if the last write fails. */
  async close(): Promise<void> {
    if (this.#closed) return this.#writing;
    this.#closed = true;
    this.store.onChange = undefined;
    try {
      await this.flush();
    } finally {
      await this.unlock();
    }
  }

  #markChanged(database: string): void {
    this.#changed.add(database);
    if (this.#timer || this.#closed) return;
    this.#timer = setTimeout(() => this.flush().catch((error: unknown) => this.options.onError(error)), this.options.delayMs);
  }

  async #write(names: string[]): Promise<void> {
    for (const [position, name] of names.entries()) {
      try {
        // Taken when its turn comes, so it holds everything committed up to then.
        const snapshot = snapshotDatabase(this.store, name);
        const path = join(this.directory, fileNameOf(name));
        if (snapshot) await writeDatabaseFile(path, snapshot);
        else await unlink(path).catch((error: NodeJS.ErrnoException) => ignoreMissing(error));
      } catch (error) {
        for (const unwritten of names.slice(position)) this.#changed.add(unwritten);
        throw error;
      }
    }
  }
}

async function loadDatabases(directory: string, store: EngineStore): Promise<void> {
  for (const entry of await readdir(directory)) {
    const path = join(directory, entry);
    // A temporary file is the remains of a write that a crash interrupted; the file it was to replace is intact.
    if (/\.bson\.tmp-\d+-\d+$/.test(entry)) await unlink(path).catch(() => undefined);
    if (!entry.endsWith(EXTENSION)) continue;
    const snapshot = await readDatabaseFile(path);
    try {
      restoreDatabase(store, snapshot);
    } catch (error) {
      throw new DatabaseFileError(path, `its data cannot be restored (${error instanceof Error ? error.message : String(error)})`);
    }
  }
}

/** The file of a database: its name with every character other than letters, digits, `_` and `-` escaped. */
export function fileNameOf(database: string): string {
  const escaped = [...Buffer.from(database, 'utf8')]
    .map((byte) => (/[A-Za-z0-9_-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
  return `${escaped}${EXTENSION}`;
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
