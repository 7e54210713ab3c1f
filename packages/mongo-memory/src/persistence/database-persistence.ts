import { mkdir, open, readdir, readFile, truncate, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineStore, StoreChange } from '../storage/engine-store.js';
import { DatabaseFileError, readDatabaseFile, syncDirectory, writeDatabaseFile } from './database-file.js';
import { restoreDatabase, snapshotDatabase, type DatabaseSnapshot } from './database-snapshot.js';
import { applyJournalChange, databaseOf, encodeChange } from './journal-changes.js';
import { encodeRecord, journalFileName, journalFileSequence, readJournal } from './journal-file.js';
import { lockDirectory } from './lock-directory.js';

const EXTENSION = '.bson';

/** Options of {@link DatabasePersistence.open}. */
export interface PersistenceOptions {
  /**
   * `true`: every change goes to an append-only journal that is flushed to disk (fsync) before the change is
   * acknowledged, and the journal is folded into the database files from time to time. `false`: a changed database
   * is rewritten `delayMs` after a change, and a crash loses what changed meanwhile.
   */
  journal: boolean;
  /** Without a journal: how long after a change its database is written; changes in between are written together. */
  delayMs: number;
  /** With a journal: the journal's size past which it is folded into the database files (then deleted). */
  compactBytes: number;
  /** Told about a background write that failed (it is retried with the next change, and on close). */
  onError(error: unknown): void;
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Keeps the engine's databases in a folder: one file per database, loaded at start, and (by default) a journal of
 * every change since those files were written. With the journal, a change is appended to it and flushed to disk
 * before it is acknowledged; changes that arrive while a flush runs share the next one (group commit). At start the
 * journal is replayed over the files, a torn last record (a crash in the middle of a write) is cut off, and the
 * journal is folded into the files (written atomically) whenever it grows past `compactBytes`, and on close. Only
 * committed data is ever written, since the engine's store holds nothing else.
 */
export class DatabasePersistence {
  readonly #changed = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #closed = false;
  // The journal: the last sequence number given to a record, the open file, changes not yet written.
  #sequence = 0;
  #handle: FileHandle | undefined;
  #journalBytes = 0;
  #pending: Uint8Array[] = [];
  #batch: Deferred | undefined;
  // The batch being written and flushed.
  #inFlight: Deferred | undefined;
  #recorded = 0;
  #loop: Promise<void> | undefined;
  #rotateRequested = false;
  #compacting: Promise<void> | undefined;
  #lastCompactionError: unknown;
  // Databases changed since their file was last written.
  readonly #dirty = new Set<string>();
  // Set when a failed journal write could not be undone: no later change can be acknowledged as durable.
  #broken: Error | undefined;

  private constructor(
    readonly directory: string,
    readonly store: EngineStore,
    readonly options: PersistenceOptions,
    readonly unlock: () => Promise<void>,
  ) {}

  /**
   * Locks the folder (one engine per folder), loads every database file in it, replays the journal over them, then
   * watches the store. Fails with a {@link DatabaseFileError} naming the file when one is damaged.
   */
  static async open(directory: string, store: EngineStore, options: PersistenceOptions): Promise<DatabasePersistence> {
    await mkdir(directory, { recursive: true });
    const unlock = await lockDirectory(directory);
    const persistence = new DatabasePersistence(directory, store, options, unlock);
    try {
      const sequences = await loadDatabases(directory, store);
      const replayed = await replayJournals(directory, store, sequences);
      if (options.journal) {
        persistence.#sequence = Math.max(replayed.lastSequence, ...sequences.values(), 0);
        await persistence.#openJournal();
        store.onWrite = (change) => persistence.#record(change);
        for (const database of replayed.databases) persistence.#dirty.add(database);
        // Fold what was replayed into the files at once, so the journal starts empty.
        if (replayed.files > 0) await persistence.checkpoint();
      } else {
        // Written by an engine that had a journal: its changes go into the files now, then the journal goes.
        if (replayed.files > 0) {
          for (const database of replayed.databases) {
            const snapshot = snapshotDatabase(store, database);
            await persistence.#writeDatabase(database, snapshot && { ...snapshot, journalSequence: replayed.lastSequence });
          }
          await removeJournals(directory, Number.MAX_SAFE_INTEGER);
        }
        store.onChange = (database) => persistence.#markChanged(database);
      }
    } catch (error) {
      store.onWrite = undefined;
      store.onChange = undefined;
      await persistence.#handle?.close().catch(() => undefined);
      await unlock();
      throw error;
    }
    return persistence;
  }

  /** How many changes have been recorded in the journal so far (compare before and after a command). */
  get recorded(): number {
    return this.#recorded;
  }

  /** Resolves when every change recorded so far is on disk; rejects when the journal could not be written. */
  durable(): Promise<void> {
    if (this.#broken) return Promise.reject(this.#broken);
    if (this.#pending.length === 0) return this.#inFlight?.promise ?? Promise.resolve();
    this.#batch ??= deferred();
    return this.#batch.promise;
  }

  /** Writes every changed database now (without a journal) or folds the journal into the files (with one). */
  flush(): Promise<void> {
    if (this.options.journal) return this.checkpoint();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const names = [...this.#changed];
    this.#changed.clear();
    const written = this.#writing.then(() => this.#writeAll(names));
    this.#writing = written.catch(() => undefined);
    return written;
  }

  /** Folds the journal into the database files: every changed database is written, then the journal before it removed. */
  async checkpoint(): Promise<void> {
    this.#rotateRequested = true;
    void this.#kick();
    while (this.#loop || this.#compacting) {
      await this.#loop;
      await this.#compacting;
    }
    if (this.#lastCompactionError) {
      const error = this.#lastCompactionError;
      this.#lastCompactionError = undefined;
      throw error;
    }
  }

  /** Stops watching, writes what is pending and releases the folder; fails if the last write fails. */
  async close(): Promise<void> {
    if (this.#closed) return this.#writing;
    this.#closed = true;
    this.store.onChange = undefined;
    this.store.onWrite = undefined;
    const closing = (async () => {
      try {
        await this.flush();
        if (this.#handle) {
          // Everything is in the files: the journal is empty and goes.
          await this.#handle.close();
          this.#handle = undefined;
          await removeJournals(this.directory, Number.MAX_SAFE_INTEGER);
        }
      } finally {
        await this.#handle?.close().catch(() => undefined);
        await this.unlock();
      }
    })();
    this.#writing = closing.catch(() => undefined);
    return closing;
  }

  #record(change: StoreChange): void {
    this.#pending.push(encodeChange(change));
    this.#recorded += 1;
    this.#dirty.add(databaseOf(change));
    void this.#kick();
  }

  #kick(): Promise<void> {
    this.#loop ??= this.#writeJournal().finally(() => {
      this.#loop = undefined;
      if (this.#pending.length > 0 || this.#rotateRequested) void this.#kick();
    });
    return this.#loop;
  }

  // The single writer of the journal: each turn takes every change recorded so far as one record, appends it and
  // flushes it to disk, then acknowledges them all; changes recorded during the flush wait for the next turn.
  async #writeJournal(): Promise<void> {
    // Commands that arrived together (in the same turn of the event loop) share the first flush.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.#pending.length > 0 || this.#rotateRequested) {
      const changes = this.#pending;
      const batch = this.#batch ?? deferred();
      this.#inFlight = batch;
      this.#pending = [];
      this.#batch = undefined;
      this.#sequence += 1;
      const sequence = this.#sequence;
      const rotate = this.#rotateRequested && !this.#compacting;
      if (rotate) this.#rotateRequested = false;
      // Taken in the same instant as the changes: the files will hold exactly the records up to this one.
      const snapshots = rotate ? this.#captureDirty(sequence) : undefined;
      if (changes.length > 0) {
        try {
          await this.#append(encodeRecord(sequence, changes));
          batch.resolve();
        } catch (error) {
          batch.reject(error);
          this.options.onError(error);
        }
      } else {
        batch.resolve();
      }
      this.#inFlight = undefined;
      if (snapshots) await this.#rotate(sequence, snapshots);
      if (!rotate && this.#rotateRequested && this.#compacting) await this.#compacting;
      if (this.#journalBytes > this.options.compactBytes && !this.#compacting && !this.#closed) this.#rotateRequested = true;
    }
  }

  async #append(record: Buffer): Promise<void> {
    if (this.#broken) throw this.#broken;
    const handle = this.#handle;
    if (!handle) throw new Error('the journal is closed');
    try {
      await handle.write(record, 0, record.length, null);
      await handle.datasync();
      this.#journalBytes += record.length;
    } catch (error) {
      // A record half written would hide the records after it at the next start: cut it off, or stop journaling.
      await handle.truncate(this.#journalBytes).catch(() => {
        this.#broken = new Error(`@ai-chat/mongo-memory: the journal in ${this.directory} could not be written or repaired`);
      });
      throw error;
    }
  }

  #captureDirty(sequence: number): Map<string, DatabaseSnapshot | undefined> {
    const snapshots = new Map<string, DatabaseSnapshot | undefined>();
    for (const database of this.#dirty) {
      const snapshot = snapshotDatabase(this.store, database);
      snapshots.set(database, snapshot && { ...snapshot, journalSequence: sequence });
    }
    this.#dirty.clear();
    return snapshots;
  }

  // Starts a new journal file for the records after `sequence`, then writes the captured databases in the background
  // and removes the older journal files once they are all on disk.
  async #rotate(sequence: number, snapshots: Map<string, DatabaseSnapshot | undefined>): Promise<void> {
    const previous = this.#handle;
    try {
      await this.#openJournal();
      await previous?.close();
    } catch (error) {
      for (const database of snapshots.keys()) this.#dirty.add(database);
      this.options.onError(error);
      return;
    }
    this.#compacting = (async () => {
      try {
        for (const [database, snapshot] of snapshots) await this.#writeDatabase(database, snapshot);
        await removeJournals(this.directory, sequence + 1);
      } catch (error) {
        for (const database of snapshots.keys()) this.#dirty.add(database);
        this.#lastCompactionError = error;
        this.options.onError(error);
      }
    })().finally(() => {
      this.#compacting = undefined;
    });
  }

  async #openJournal(): Promise<void> {
    const handle = await open(join(this.directory, journalFileName(this.#sequence + 1)), 'a');
    this.#handle = handle;
    this.#journalBytes = (await handle.stat()).size;
    await syncDirectory(this.directory);
  }

  #markChanged(database: string): void {
    this.#changed.add(database);
    if (this.#timer || this.#closed) return;
    this.#timer = setTimeout(() => this.flush().catch((error: unknown) => this.options.onError(error)), this.options.delayMs);
  }

  async #writeAll(names: string[]): Promise<void> {
    for (const [position, name] of names.entries()) {
      try {
        // Taken when its turn comes, so it holds everything committed up to then.
        await this.#writeDatabase(name, snapshotDatabase(this.store, name));
      } catch (error) {
        for (const unwritten of names.slice(position)) this.#changed.add(unwritten);
        throw error;
      }
    }
  }

  async #writeDatabase(name: string, snapshot: DatabaseSnapshot | undefined): Promise<void> {
    const path = join(this.directory, fileNameOf(name));
    if (snapshot) await writeDatabaseFile(path, snapshot);
    else {
      await unlink(path).catch((error: NodeJS.ErrnoException) => ignoreMissing(error));
      await syncDirectory(this.directory);
    }
  }
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  // A batch nobody waits for (no client asked) must not be an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

// Loads every database file; returns the last journal record each one holds (0 for files written without a journal).
async function loadDatabases(directory: string, store: EngineStore): Promise<Map<string, number>> {
  const sequences = new Map<string, number>();
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
    sequences.set(snapshot.name, snapshot.journalSequence ?? 0);
  }
  return sequences;
}

// Replays the journal files in order over the loaded databases, skipping for each database the records its file
// already holds. Only the last file may end in a torn record (the write a crash interrupted, never acknowledged): it
// is cut off. Damage anywhere else stops the start.
async function replayJournals(
  directory: string,
  store: EngineStore,
  sequences: Map<string, number>,
): Promise<{ lastSequence: number; databases: Set<string>; files: number }> {
  const files = (await readdir(directory))
    .map((name) => ({ name, first: journalFileSequence(name) }))
    .filter((file): file is { name: string; first: number } => file.first !== undefined)
    .sort((left, right) => left.first - right.first);
  const databases = new Set<string>();
  let lastSequence = 0;
  for (const [position, file] of files.entries()) {
    const path = join(directory, file.name);
    const buffer = await readFile(path);
    const contents = readJournal(buffer);
    if (contents.damage) {
      if (position < files.length - 1) throw new DatabaseFileError(path, `it holds ${contents.damage} before later journal files`);
      await truncate(path, contents.validLength);
      const handle = await open(path, 'r+');
      await handle.sync().finally(() => handle.close());
    }
    for (const record of contents.records) {
      if (record.sequence <= lastSequence) throw new DatabaseFileError(path, `record ${record.sequence} is out of order`);
      lastSequence = record.sequence;
      for (const change of record.changes) {
        const database = String(change['d']);
        if (record.sequence <= (sequences.get(database) ?? 0)) continue;
        try {
          applyJournalChange(store, change);
        } catch (error) {
          throw new DatabaseFileError(path, `record ${record.sequence} cannot be replayed (${error instanceof Error ? error.message : String(error)})`);
        }
        databases.add(database);
      }
    }
  }
  return { lastSequence, databases, files: files.length };
}

// Removes the journal files whose records all come before `beforeSequence` (files are named by their first record).
async function removeJournals(directory: string, beforeSequence: number): Promise<void> {
  const names = (await readdir(directory)).filter((name) => {
    const first = journalFileSequence(name);
    return first !== undefined && first < beforeSequence;
  });
  for (const name of names) await unlink(join(directory, name)).catch((error: NodeJS.ErrnoException) => ignoreMissing(error));
  if (names.length > 0) await syncDirectory(directory);
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
