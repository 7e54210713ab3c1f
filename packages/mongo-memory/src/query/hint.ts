import { canonicalKey, isPlainObject, type StoredDocument } from '../bson-values.js';
import { badValue, CommandError } from '../command-error.js';
import type { Collection } from '../storage/collection.js';
import { isNumeric, numericValue } from './bson-numbers.js';
import { sortDocuments } from './sort-documents.js';

/** A `hint`: an index name, an index key pattern, or `{ $natural: 1 | -1 }`. */
export type Hint = string | Record<string, unknown>;

/** Reads a command's `hint` argument; an empty one means none. */
export function parseHint(value: unknown): Hint | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.length === 0 ? undefined : value;
  if (isPlainObject(value)) return Object.keys(value).length === 0 ? undefined : value;
  throw new CommandError(14, 'TypeMismatch', 'hint must be either a string or a document');
}

/**
 * What a hinted index changes in a result, as an index scan would in MongoDB: the documents come in the index's
 * order (when the query has no sort), and a sparse or partial index holds only some documents. A hint naming no
 * index of the collection is refused, as MongoDB refuses it.
 */
export function applyHint(collection: Collection, documents: StoredDocument[], hint: Hint, reorder: boolean): StoredDocument[] {
  if (isPlainObject(hint) && '$natural' in hint) {
    const direction = hint['$natural'];
    return reorder && isNumeric(direction) && numericValue(direction) < 0 ? documents.slice().reverse() : documents;
  }
  const wanted = typeof hint === 'string' ? undefined : canonicalKey(hint);
  const index = collection.indexes.find((candidate) => (wanted === undefined ? candidate.name === hint : canonicalKey(candidate.specification.key) === wanted));
  // A hidden index cannot be hinted either, as in MongoDB.
  if (!index || index.specification['hidden'] === true) throw badValue('hint provided does not correspond to an existing index');
  const specification = index.specification;
  const held = specification.sparse === true || specification.partialFilterExpression ? documents.filter((document) => index.keysOf(document).length > 0) : documents;
  const directions = Object.values(specification.key);
  if (!reorder || !directions.every((direction) => isNumeric(direction))) return held;
  return sortDocuments(held, specification.key);
}
