import { serialize, type Document } from 'bson';
import type { StoredDocument } from './bson-values.js';
import { CommandError } from './command-error.js';

// `undefined` fields are left out, as a MongoDB server never sends them.
const SERIALIZE_OPTIONS = { ignoreUndefined: true } as const;

/**
 * Documents already encoded as BSON, each once, for a reply to splice in as an array (a cursor's batch) without
 * encoding them again. The wire encoder writes them as they are; `length` counts the documents, as an array's would.
 */
export class EncodedDocuments {
  constructor(
    /** The BSON of each document, in order. */
    readonly parts: readonly Uint8Array[],
    /** The sum of the parts' lengths. */
    readonly byteLength: number,
  ) {}

  /** How many documents the batch holds. */
  get length(): number {
    return this.parts.length;
  }
}

/** One document already encoded as BSON, for a reply to splice in as an embedded document (`findAndModify`'s `value`). */
export class EncodedDocument {
  constructor(
    /** The document's BSON. */
    readonly bytes: Uint8Array,
  ) {}
}

/** The BSON of a document made for one reply (projected, computed...): encoded, not kept. */
export function encodeDocument(document: Document): Uint8Array {
  try {
    return serialize(document, SERIALIZE_OPTIONS);
  } catch (error) {
    // A result larger than a BSON document may be (an aggregation's output) is refused as MongoDB refuses it.
    throw new CommandError(10334, 'BSONObjectTooLarge', `a result document could not be encoded: ${error instanceof Error ? error.message : String(error)}`);
  }
}

// Stored documents are never changed in place (a write replaces the object), so the BSON of one stays true for as
// long as the object lives. The documents read or written last keep theirs, within a budget (the oldest entries go
// first; a hit does not reorder, which would cost more than encoding a hot document again now and then), so that
// reading the same documents again (a session list, a message history) copies bytes instead of encoding them.
const CACHE_BUDGET_BYTES = 8 * 1024 * 1024;
const LARGEST_CACHED_DOCUMENT = 256 * 1024;
const cache = new Map<StoredDocument, Uint8Array>();
let cachedBytes = 0;

/**
 * The BSON of a stored document (one the engine keeps and never changes in place), from a bounded cache of the ones
 * encoded last, or encoded and cached. Never for a document made or changed for a reply: its bytes would be
 * kept for an object that may change.
 */
export function encodeStoredDocument(document: StoredDocument): Uint8Array {
  const cached = cache.get(document);
  if (cached) return cached;
  const bytes = encodeDocument(document);
  if (bytes.length > LARGEST_CACHED_DOCUMENT) return bytes;
  cache.set(document, bytes);
  cachedBytes += bytes.length;
  for (const [oldest, oldBytes] of cache) {
    if (cachedBytes <= CACHE_BUDGET_BYTES) break;
    cache.delete(oldest);
    cachedBytes -= oldBytes.length;
  }
  return bytes;
}
