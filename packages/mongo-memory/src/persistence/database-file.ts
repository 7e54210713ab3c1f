import { createHash } from 'node:crypto';
import { open, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { serialize, serializeWithBufferAndIndex, type Document } from 'bson';
import type { StoredDocument } from '../bson-values.js';
import type { IndexSpecification } from '../storage/collection-index.js';
import { readDocument } from '../wire/wire-message.js';
import type { CollectionSnapshot, DatabaseSnapshot } from './database-snapshot.js';

const FORMAT = 'ai-chat-mongo-memory';
const VERSION = 1;
// Serialised documents are handed to the file in slices of at most this much time on the event loop, or this many
// bytes, before the write awaits (and other clients get served).
const SLICE_MS = 4;
const SLICE_BYTES = 1024 * 1024;

/** A database file that cannot be read back: it names the file and what is wrong with it. */
export class DatabaseFileError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`@ai-chat/mongo-memory cannot load ${path}: ${reason}. The file was left untouched; move it out of the folder to start without that database.`);
    this.name = 'DatabaseFileError';
  }
}

let temporaryFiles = 0;

/**
 * Writes a database to `path` atomically: a temporary file beside it is written, flushed to disk (fsync) and renamed
 * over `path`, so a crash leaves either the old file or the new one. The file is a sequence of BSON documents (a
 * header listing collections, options and indexes; every document; a trailer with a SHA-256 of everything before it).
 */
export async function writeDatabaseFile(path: string, snapshot: DatabaseSnapshot): Promise<void> {
  temporaryFiles += 1;
  const temporary = `${path}.tmp-${process.pid}-${temporaryFiles}`;
  const handle = await open(temporary, 'w');
  try {
    const output = new SlicedOutput(handle);
    await output.add(headerOf(snapshot));
    let count = 0;
    for (const collection of snapshot.collections) {
      for (const document of collection.documents) {
        await output.add(document);
        count += 1;
      }
    }
    await output.flush();
    await handle.write(encode({ end: true, documents: count, sha256: output.digest() }));
    await handle.sync();
    await handle.close();
    await rename(temporary, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(path));
}

// Documents are encoded into one reused buffer (little garbage, so no long collector pauses) and handed to the file
// a slice at a time: the event loop is never held for more than about SLICE_MS.
class SlicedOutput {
  readonly #hash = createHash('sha256');
  readonly #buffer = Buffer.allocUnsafe(SLICE_BYTES);
  #used = 0;
  #sliceStarted = performance.now();

  constructor(readonly handle: FileHandle) {}

  async add(document: Document): Promise<void> {
    if (!this.#append(document)) {
      await this.flush();
      if (!this.#append(document)) await this.#write(encode(document));
    }
    if (performance.now() - this.#sliceStarted > SLICE_MS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#used > 0) await this.#write(this.#buffer.subarray(0, this.#used));
    this.#used = 0;
    this.#sliceStarted = performance.now();
  }

  digest(): string {
    return this.#hash.digest('hex');
  }

  // False when the document does not fit in what is left of the buffer.
  #append(document: Document): boolean {
    try {
      this.#used = serializeWithBufferAndIndex(document, this.#buffer, { index: this.#used, ignoreUndefined: true }) + 1;
      return true;
    } catch (error) {
      if (error instanceof RangeError) return false;
      throw error;
    }
  }

  async #write(bytes: Buffer): Promise<void> {
    this.#hash.update(bytes);
    await this.handle.write(bytes);
  }
}

/** Reads a database file written by {@link writeDatabaseFile}; fails with a {@link DatabaseFileError} when it is damaged. */
export async function readDatabaseFile(path: string): Promise<DatabaseSnapshot> {
  const buffer = await readFile(path).catch((error: unknown) => {
    throw new DatabaseFileError(path, error instanceof Error ? error.message : String(error));
  });
  const documents: Document[] = [];
  let offset = 0;
  let lastStart = 0;
  try {
    while (offset < buffer.length) {
      const { document, end } = readDocument(buffer, offset);
      documents.push(document);
      [lastStart, offset] = [offset, end];
    }
  } catch (error) {
    throw new DatabaseFileError(path, `unreadable BSON at byte ${offset} (${error instanceof Error ? error.message : String(error)})`);
  }
  const header = documents[0];
  const trailer = documents[documents.length - 1];
  if (header?.['format'] !== FORMAT) throw new DatabaseFileError(path, 'it is not a database file of @ai-chat/mongo-memory');
  if (header['version'] !== VERSION) throw new DatabaseFileError(path, `format version ${String(header['version'])} is not supported`);
  if (documents.length < 2 || trailer?.['end'] !== true) throw new DatabaseFileError(path, 'it is truncated (no end marker)');
  if (createHash('sha256').update(buffer.subarray(0, lastStart)).digest('hex') !== trailer['sha256']) {
    throw new DatabaseFileError(path, 'its checksum does not match');
  }
  return snapshotOf(path, header, documents.slice(1, -1));
}

type SavedCollection = Omit<CollectionSnapshot, 'documents'> & { count: number };

function snapshotOf(path: string, header: Document, saved: Document[]): DatabaseSnapshot {
  const listed = header['collections'] as SavedCollection[];
  if (listed.reduce((total, collection) => total + collection.count, 0) !== saved.length) {
    throw new DatabaseFileError(path, 'its document count does not match its header');
  }
  let next = 0;
  const collections = listed.map(({ count, ...collection }) => ({ ...collection, documents: saved.slice(next, (next += count)) as StoredDocument[] }));
  // A number: an int32, or a Double once it is past 2^31 (Number() reads both).
  const sequence = header['journalSequence'] === undefined ? undefined : Number(header['journalSequence']);
  if (sequence !== undefined && !Number.isSafeInteger(sequence)) throw new DatabaseFileError(path, 'its journal sequence is not a number');
  return { name: String(header['database']), collections, ...(sequence === undefined ? {} : { journalSequence: sequence }) };
}

function headerOf(snapshot: DatabaseSnapshot): Document {
  const collections = snapshot.collections.map((collection) => ({
    name: collection.name,
    options: collection.options,
    indexes: collection.indexes satisfies IndexSpecification[],
    count: collection.documents.length,
  }));
  const header: Document = { format: FORMAT, version: VERSION, database: snapshot.name, savedAt: new Date(), collections };
  if (snapshot.journalSequence !== undefined) header['journalSequence'] = snapshot.journalSequence;
  return header;
}

// The same encoding as replies on the wire, so a reloaded document reads back exactly as it did before.
function encode(document: Document): Buffer {
  return Buffer.from(serialize(document, { ignoreUndefined: true }));
}

/** Makes a rename, creation or removal in a folder durable; some platforms cannot open a directory, and there it is skipped. */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r').catch(() => undefined);
  await handle?.sync().catch(() => undefined);
  await handle?.close();
}
