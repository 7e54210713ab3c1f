import { calculateObjectSize } from 'bson';
import { canonicalKey, isPlainObject, type StoredDocument } from '../bson-values.js';
import { CommandError } from '../command-error.js';
import { encodeStoredDocument } from '../encoded-documents.js';
import { valuesAtPath } from '../document-paths.js';
import { compareBson } from '../query/bson-order.js';
import { isNumeric, numericValue } from '../query/bson-numbers.js';
import { parseCollation, type Collation } from '../query/collation.js';
import { compileFilter } from '../query/compile-filter.js';
import { compileMatch, type DocumentPredicate } from '../query/filter/compile-match.js';
import type { CollectionIndex } from '../storage/collection-index.js';
import type { Collection } from '../storage/collection.js';
import type { CommandContext } from './command-context.js';

const validators = new WeakMap<Collection, { source: unknown; matches: DocumentPredicate }>();

/**
 * Inserts a document as MongoDB would: checked against the collection's validator (unless the command bypasses
 * it), and, in a capped collection, making room by removing the oldest documents.
 */
export function insertChecked(context: CommandContext, collection: Collection, document: StoredDocument): void {
  assertWithinSizeLimit(document, 'insert');
  assertValidId(document['_id']);
  assertPassesValidator(context, collection, document, undefined);
  assertCollatedKeysFree(collection, document);
  collection.insert(document);
  trimCapped(collection);
}

/** Replaces a stored document with its updated version, checked against the collection's validator. */
export function replaceChecked(context: CommandContext, collection: Collection, document: StoredDocument, previous: StoredDocument): void {
  // The new version is encoded (and cached) rather than only measured: a reply or the next read takes its bytes.
  assertWithinSizeLimit(document, 'update', encodedSize(document));
  assertValidId(document['_id']);
  assertPassesValidator(context, collection, document, previous);
  assertCollatedKeysFree(collection, document);
  collection.replace(document);
}

/** MongoDB's `maxBsonObjectSize`: no stored document may be larger. */
const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

// A document over 16 MB is refused as MongoDB refuses it (BSONObjectTooLarge), whether it arrives whole or grows
// through an update.
function assertWithinSizeLimit(document: StoredDocument, write: 'insert' | 'update', knownSize?: number): void {
  const size = knownSize ?? calculateObjectSize(document);
  if (size <= MAX_DOCUMENT_BYTES) return;
  const message =
    write === 'insert'
      ? `object to insert too large. size in bytes: ${size}, max size: ${MAX_DOCUMENT_BYTES}`
      : `Resulting document after update is larger than ${MAX_DOCUMENT_BYTES}`;
  throw new CommandError(10334, 'BSONObjectTooLarge', message);
}

// The size of a document from its encoding; measured instead when it is too large to encode.
function encodedSize(document: StoredDocument): number {
  try {
    return encodeStoredDocument(document).length;
  } catch {
    return calculateObjectSize(document);
  }
}

function assertValidId(id: unknown): void {
  if (Array.isArray(id)) throw new CommandError(53, 'InvalidIdField', "The '_id' value cannot be of type array");
  if (id instanceof RegExp) throw new CommandError(53, 'InvalidIdField', "The '_id' value cannot be of type regex");
}

// `validationLevel: 'moderate'` lets an update through when the document did not pass before either;
// `validationAction: 'warn'` only logs in MongoDB, so the write goes through here.
function assertPassesValidator(context: CommandContext, collection: Collection, document: StoredDocument, previous: StoredDocument | undefined): void {
  const { validator, validationLevel, validationAction } = collection.options;
  if (!isPlainObject(validator) || Object.keys(validator).length === 0) return;
  if (validationLevel === 'off' || validationAction === 'warn' || context.command['bypassDocumentValidation'] === true) return;
  const matches = compiledValidator(collection, validator);
  if (matches(document)) return;
  if (previous && validationLevel === 'moderate' && !matches(previous)) return;
  throw new CommandError(121, 'DocumentValidationFailure', 'Document failed validation', {
    errInfo: { failingDocumentId: document['_id'], details: { operatorName: Object.keys(validator)[0] ?? '$and', specifiedAs: validator } },
  });
}

function compiledValidator(collection: Collection, validator: Record<string, unknown>): DocumentPredicate {
  const cached = validators.get(collection);
  if (cached?.source === validator) return cached.matches;
  const matches = compileMatch(validator);
  validators.set(collection, { source: validator, matches });
  return matches;
}

/** The first check of a validator when a collection is created or changed: it must be a filter MongoDB accepts. */
export function assertValidValidator(validator: unknown): void {
  if (validator === undefined) return;
  if (!isPlainObject(validator)) throw new CommandError(14, 'TypeMismatch', "BSON field 'validator' is the wrong type, expected type 'object'");
  compileMatch(validator);
}

// A capped collection keeps at most `max` documents and `size` bytes, dropping the oldest first, as in MongoDB.
function trimCapped(collection: Collection): void {
  const { capped, size, max } = collection.options;
  if (capped !== true) return;
  const maxDocuments = isNumeric(max) && numericValue(max) > 0 ? numericValue(max) : Number.POSITIVE_INFINITY;
  const maxBytes = isNumeric(size) ? numericValue(size) : Number.POSITIVE_INFINITY;
  let bytes = 0;
  for (const document of collection.documents.values()) bytes += calculateObjectSize(document);
  for (const document of [...collection.documents.values()]) {
    if (collection.documents.size <= maxDocuments && bytes <= maxBytes) break;
    if (collection.documents.size === 1) break;
    bytes -= calculateObjectSize(document);
    collection.remove(canonicalKey(document['_id']));
  }
}

// Unique indexes keep exact keys; under a collation, keys it holds equal ('a' and 'A' at strength 2) must collide
// too. Such indexes are rare in development data, so the other documents are compared one by one.
function assertCollatedKeysFree(collection: Collection, document: StoredDocument): void {
  for (const index of collection.indexes) {
    const collation = indexCollation(collection, index);
    if (!collation) continue;
    const keys = collatedKeys(index, document);
    if (keys.length === 0) continue;
    for (const other of collection.documents.values()) {
      if (compareBson(other['_id'], document['_id']) === 0 && sameIdType(other['_id'], document['_id'])) continue;
      if (sharesKey(keys, collatedKeys(index, other), collation)) throw index.duplicateKeyError(document);
    }
  }
}

/** After a unique index with a collation is created, refuses it (dropping it again) when existing documents collide. */
export function assertCollatedIndexUnique(collection: Collection, name: string): void {
  const index = collection.indexes.find((candidate) => candidate.name === name);
  const collation = index ? indexCollation(collection, index) : undefined;
  if (!index || !collation) return;
  const documents = [...collection.documents.values()];
  for (const [position, document] of documents.entries()) {
    const keys = collatedKeys(index, document);
    if (keys.length === 0) continue;
    for (const other of documents.slice(position + 1)) {
      if (sharesKey(keys, collatedKeys(index, other), collation)) {
        collection.dropIndex(name);
        throw index.duplicateKeyError(other);
      }
    }
  }
}

function sameIdType(left: unknown, right: unknown): boolean {
  return typeof left === typeof right;
}

function indexCollation(collection: Collection, index: CollectionIndex): Collation | undefined {
  if (!index.isUnique) return undefined;
  const specification = index.specification['collation'] ?? (index.name === '_id_' ? collection.options['collation'] : undefined);
  return specification ? parseCollation(specification) : undefined;
}

function collatedKeys(index: CollectionIndex, document: StoredDocument): unknown[][] {
  const partial = index.specification.partialFilterExpression;
  if (partial && !compileFilter(partial)(document)) return [];
  const perField = index.fields.map((field) =>
    valuesAtPath(document, field).flatMap((value) => (Array.isArray(value) ? (value.length === 0 ? [undefined] : value) : [value])),
  );
  if (index.specification.sparse === true && perField.every((values) => values.every((value) => value === undefined))) return [];
  return perField.reduce<unknown[][]>((tuples, values) => tuples.flatMap((tuple) => values.map((value) => [...tuple, value ?? null])), [[]]);
}

function sharesKey(keys: unknown[][], others: unknown[][], collation: Collation): boolean {
  return keys.some((key) => others.some((other) => other.length === key.length && other.every((value, field) => compareBson(value, key[field], collation.compare) === 0)));
}
