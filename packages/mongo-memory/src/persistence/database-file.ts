import { createHash } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { serialize, type Document } from 'bson';
import type { StoredDocument } from '../bson-values.js';
import type { IndexSpecification } from '../storage/collection-index.js';
import { readDocument } from '../wire/wire-message.js';
import type { CollectionSnapshot, DatabaseSnapshot } from './database-snapshot.js';

const FORMAT = 'ai-chat-mongo-memory';
const VERSION = 1;
// Serialised documents are handed to the file in slices: at most this much time on the event loop, or this many
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
    const hash = createHash('sha256');
    const write = async (buffers: Uint8Array[]) => {
      for (const buffer of buffers) hash.update(buffer);
      await handle.write(Buffer.concat(buffers));
    };
    await write([encode(headerOf(snapshot))]);
    let count = 0;
    let slice: Uint8Array[] = [];
    let sliceBytes = 0;
    let sliceStarted = performance.now();
    for (const document of snapshot.collections.flatMap((collection) => collection.documents)) {
      const bytes = encode(document);
      slice.push(bytes);
      sliceBytes += bytes.length;
      count += 1;
      if (sliceBytes < SLICE_BYTES && performance.now() - sliceStarted < SLICE_MS) continue;
      await write(slice);
      [slice, sliceBytes, sliceStarted] = [[], 0, performance.now()];
    }
    await write(slice);
    await handle.write(encode({ end: true, documents: count, sha256: hash.digest('hex') }));
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
  return { name: String(header['database']), collections };
}

function headerOf(snapshot: DatabaseSnapshot): Document {
  const collections = snapshot.collections.map((collection) => ({
    name: collection.name,
    options: collection.options,
    indexes: collection.indexes satisfies IndexSpecification[],
    count: collection.documents.length,
  }));
  return { format: FORMAT, version: VERSION, database: snapshot.name, savedAt: new Date(), collections };
}

// The same encoding as replies on the wire, so a reloaded document reads back exactly as it did before.
function encode(document: Document): Buffer {
  return Buffer.from(serialize(document, { ignoreUndefined: true }));
}

// Makes the rename itself durable; some platforms cannot open a directory, and there it is skipped.
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r').catch(() => undefined);
  await handle?.sync().catch(() => undefined);
  await handle?.close();
}
