import { Long } from 'bson';
import type { StoredDocument } from './bson-values.js';
import { CommandError } from './command-error.js';
import { encodeDocument, EncodedDocuments, encodeStoredDocument } from './encoded-documents.js';

/** The `cursor` field of a `find`, `aggregate`, `listIndexes`... reply. */
export interface CursorReply {
  id: Long;
  ns: string;
  /** The batch, each document encoded once (the size of a batch is counted in its bytes). */
  firstBatch?: EncodedDocuments;
  nextBatch?: EncodedDocuments;
}

interface OpenCursor {
  namespace: string;
  documents: StoredDocument[];
  position: number;
  lastUsed: number;
  encode: (document: StoredDocument) => Uint8Array;
}

/** How a cursor's documents are encoded: `stored` for the engine's own documents (never changed in place). */
export type CursorDocuments = 'stored' | 'made';

const DEFAULT_FIRST_BATCH = 101;
// A batch stays under 16 MB, as MongoDB's do, so that a reply (one document of up to 16 MB may go alone) always fits
// in a message.
const MAX_BATCH_BYTES = 12 * 1024 * 1024;
// A cursor nobody asked for more of is dropped after this long, as MongoDB times out idle cursors.
const IDLE_TIMEOUT_MS = 10 * 60_000;

/** Cursors over result sets that did not fit in the first batch, for `getMore` and `killCursors`. */
export class CursorRegistry {
  readonly #cursors = new Map<string, OpenCursor>();
  #nextId = 1;

  /**
   * Returns the first batch, keeping the rest under a new cursor id (0 when everything fit, so that a driver has no
   * cursor to kill). `kind` `stored` says the documents are the engine's stored objects, whose BSON may come from the
   * cache of recently read documents; `made` (projected, computed, listed) are encoded each time.
   */
  open(namespace: string, documents: StoredDocument[], batchSize?: unknown, singleBatch = false, kind: CursorDocuments = 'made'): CursorReply {
    this.#dropIdle();
    const encode = kind === 'stored' ? encodeStoredDocument : encodeDocument;
    const cursor: OpenCursor = { namespace, documents, position: 0, lastUsed: Date.now(), encode };
    const firstBatch = takeBatch(cursor, batchSizeOf(batchSize) ?? DEFAULT_FIRST_BATCH);
    if (singleBatch || cursor.position >= documents.length) return { id: Long.ZERO, ns: namespace, firstBatch };
    const id = this.#nextId++;
    this.#cursors.set(String(id), cursor);
    return { id: Long.fromNumber(id), ns: namespace, firstBatch };
  }

  /** The next batch of a cursor (`getMore`); the cursor is closed when it is exhausted. */
  more(id: unknown, namespace: string, batchSize?: unknown): CursorReply {
    const key = String(id);
    const cursor = this.#cursors.get(key);
    if (!cursor || cursor.namespace !== namespace) throw new CommandError(43, 'CursorNotFound', `cursor id ${key} not found`);
    cursor.lastUsed = Date.now();
    const nextBatch = takeBatch(cursor, batchSizeOf(batchSize) ?? Number.MAX_SAFE_INTEGER);
    const exhausted = cursor.position >= cursor.documents.length;
    if (exhausted) this.#cursors.delete(key);
    return { id: exhausted ? Long.ZERO : Long.fromNumber(Number(key)), ns: namespace, nextBatch };
  }

  /** Closes cursors; returns which ids were open and which were not. */
  kill(ids: unknown[]): { killed: Long[]; notFound: Long[] } {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) {
      const long = Long.fromString(String(id));
      (this.#cursors.delete(String(id)) ? killed : notFound).push(long);
    }
    return { killed, notFound };
  }

  #dropIdle(): void {
    if (this.#cursors.size === 0) return;
    const now = Date.now();
    for (const [id, cursor] of this.#cursors) if (now - cursor.lastUsed > IDLE_TIMEOUT_MS) this.#cursors.delete(id);
  }
}

function batchSizeOf(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const size = Number(value);
  if (!Number.isFinite(size) || size < 0) throw new CommandError(2, 'BadValue', 'batchSize must be a non-negative number');
  return size === 0 ? undefined : size;
}

// Each document is encoded once, here: its bytes count towards the batch's limit and go into the reply as they are.
function takeBatch(cursor: OpenCursor, size: number): EncodedDocuments {
  const batch: Uint8Array[] = [];
  let bytes = 0;
  while (batch.length < size && cursor.position < cursor.documents.length) {
    const encoded = cursor.encode(cursor.documents[cursor.position] as StoredDocument);
    if (batch.length > 0 && bytes + encoded.length > MAX_BATCH_BYTES) break;
    bytes += encoded.length;
    batch.push(encoded);
    cursor.position += 1;
  }
  return new EncodedDocuments(batch, bytes);
}
