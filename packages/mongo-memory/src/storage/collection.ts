import { canonicalKey, isOperatorObject, type StoredDocument } from '../bson-values.js';
import { CommandError } from '../command-error.js';
import { normalizeTextIndex } from '../query/text/text-index-specification.js';
import { CollectionIndex, isLookupValue, type IndexSpecification } from './collection-index.js';

/** A change to one document, as a transaction records it to replay on commit. */
export type WriteEffect =
  | { kind: 'put'; idKey: string; document: StoredDocument; previous: StoredDocument | undefined }
  | { kind: 'delete'; idKey: string; previous: StoredDocument };

/** What changed in a collection: its documents, or its definition (options, indexes). */
export type CollectionChange = 'documents' | 'definition';

/** What `createIndex` did: `created` a new index or found it `existing` with the same options. */
export type IndexCreation = 'created' | 'existing';

const ID_INDEX: IndexSpecification = { v: 2, key: { _id: 1 }, name: '_id_' };

/**
 * The documents of one collection in natural (insertion) order, keyed by their `_id`, with their indexes. Stored
 * documents are never changed in place: writes replace them, so a document handed to a reader stays as it was.
 */
export class Collection {
  readonly documents = new Map<string, StoredDocument>();
  readonly indexes: CollectionIndex[];
  /** Called with every document write: a transaction's working copy records what to replay on commit, the engine's store journals it. */
  journal: ((effect: WriteEffect) => void) | undefined;
  /**
   * Called after any change: `documents` after a write (which `journal` also sees), `definition` after a change of
   * its options or indexes. The engine's store uses it to tell persistence what to save.
   */
  onChange: ((kind: CollectionChange) => void) | undefined;
  readonly #keys = new Map<string, string[][]>();
  // Natural order of each document, to put index lookups back in that order.
  readonly #positions = new Map<string, number>();
  #nextPosition = 0;

  constructor(
    readonly database: string,
    readonly name: string,
    readonly options: Record<string, unknown> = {},
  ) {
    this.indexes = [new CollectionIndex(ID_INDEX, this.namespace)];
  }

  /** `database.collection`, as MongoDB names a namespace. */
  get namespace(): string {
    return `${this.database}.${this.name}`;
  }

  /** Inserts a new document (which must have an `_id`), enforcing every unique index. */
  insert(document: StoredDocument): void {
    const idKey = canonicalKey(document['_id']);
    if (this.documents.has(idKey)) throw (this.indexes[0] as CollectionIndex).duplicateKeyError(document);
    const keys = this.indexes.map((index) => uniqueKeysOf(index, document));
    this.indexes.forEach((index, position) => index.assertFree(keys[position] as string[], idKey, document));
    this.indexes.forEach((index, position) => index.add(keys[position] as string[], idKey));
    const position = this.#nextPosition++;
    for (const index of this.indexes) index.track(idKey, position, document);
    this.documents.set(idKey, document);
    this.#keys.set(idKey, keys);
    this.#positions.set(idKey, position);
    this.journal?.({ kind: 'put', idKey, document, previous: undefined });
    this.onChange?.('documents');
  }

  /** Replaces the stored document with the same `_id`, enforcing every unique index; it keeps its position. */
  replace(document: StoredDocument): void {
    const idKey = canonicalKey(document['_id']);
    const previousKeys = this.#keys.get(idKey);
    const previous = this.documents.get(idKey);
    if (!previousKeys || !previous) throw new CommandError(8, 'UnknownError', `no document with _id ${idKey} to replace`);
    const keys = this.indexes.map((index) => uniqueKeysOf(index, document));
    this.indexes.forEach((index, position) => index.assertFree(keys[position] as string[], idKey, document));
    const natural = this.#positions.get(idKey) ?? 0;
    this.indexes.forEach((index, position) => {
      index.remove(previousKeys[position] as string[], idKey);
      index.add(keys[position] as string[], idKey);
      index.track(idKey, natural, document, previous);
    });
    this.documents.set(idKey, document);
    this.#keys.set(idKey, keys);
    this.journal?.({ kind: 'put', idKey, document, previous });
    this.onChange?.('documents');
  }

  /** Removes a document by its `_id` key; returns whether there was one. */
  remove(idKey: string): boolean {
    const keys = this.#keys.get(idKey);
    const previous = this.documents.get(idKey);
    if (!keys || !previous) return false;
    const natural = this.#positions.get(idKey) ?? 0;
    this.indexes.forEach((index, position) => {
      index.remove(keys[position] as string[], idKey);
      index.track(idKey, natural, undefined, previous);
    });
    this.documents.delete(idKey);
    this.#keys.delete(idKey);
    this.#positions.delete(idKey);
    this.journal?.({ kind: 'delete', idKey, previous });
    this.onChange?.('documents');
    return true;
  }

  /** The collection's text index (MongoDB allows one), if it has one. */
  get textIndex(): CollectionIndex | undefined {
    return this.indexes.find((index) => index.text !== undefined);
  }

  /** Removes every document, keeping the indexes. */
  clear(): void {
    for (const idKey of [...this.documents.keys()]) this.remove(idKey);
  }

  /** Creates an index over the existing documents; fails like MongoDB on conflicting definitions or duplicates. */
  createIndex(requested: IndexSpecification): IndexCreation {
    const specification = normalizeTextIndex(requested);
    if ('_fts' in specification.key && this.indexes.some((index) => index.text && index.name !== specification.name)) {
      throw new CommandError(85, 'IndexOptionsConflict', `An equivalent index already exists with a different name and options. Requested index: ${JSON.stringify(specification)}`);
    }
    const existing = this.indexes.find(
      (index) => index.name === specification.name || sameKey(index.specification.key, specification.key),
    );
    if (existing) return assertSameIndex(existing.specification, specification);
    const index = new CollectionIndex({ v: 2, ...specification }, this.namespace);
    const keys = new Map<string, string[]>();
    for (const [idKey, document] of this.documents) {
      const documentKeys = index.keysOf(document);
      index.assertFree(documentKeys, idKey, document);
      index.add(documentKeys, idKey);
      index.track(idKey, this.#positions.get(idKey) ?? 0, document);
      keys.set(idKey, documentKeys);
    }
    this.indexes.push(index);
    for (const [idKey, documentKeys] of keys) this.#keys.get(idKey)?.push(documentKeys);
    this.onChange?.('definition');
    return 'created';
  }

  /** Drops an index by name; the `_id` index cannot be dropped. */
  dropIndex(name: string): void {
    if (name === '_id_') throw new CommandError(72, 'InvalidOptions', 'cannot drop _id index');
    const position = this.indexes.findIndex((index) => index.name === name);
    if (position < 0) throw new CommandError(27, 'IndexNotFound', `index not found with name [${name}]`);
    this.indexes.splice(position, 1);
    for (const keys of this.#keys.values()) keys.splice(position, 1);
    this.onChange?.('definition');
  }

  /** A copy with the same documents and indexes, for a transaction's snapshot. */
  clone(): Collection {
    const copy = new Collection(this.database, this.name, this.options);
    for (const index of this.indexes.slice(1)) copy.createIndex(index.specification);
    for (const document of this.documents.values()) copy.insert(document);
    return copy;
  }

  /** The stored document of an `_id` key. */
  get(idKey: string): StoredDocument | undefined {
    return this.documents.get(idKey);
  }

  /**
   * The documents a filter can match, found without a scan when the filter pins `_id` or every field of a unique
   * index to a plain value, or the first field of an index to plain values (then in natural order); otherwise all
   * documents. Callers still test each candidate against the filter.
   */
  candidates(filter: Record<string, unknown> | undefined): Iterable<StoredDocument> {
    if (!filter) return this.documents.values();
    const idValue = filter['_id'];
    if (isLookupValue(idValue)) return present([this.documents.get(canonicalKey(idValue))]);
    if (isOperatorObject(idValue) && Array.isArray(idValue['$in']) && Object.keys(idValue).length === 1) {
      const values = idValue['$in'] as unknown[];
      if (values.every(isLookupValue)) return present(values.map((value) => this.documents.get(canonicalKey(value))));
    }
    for (const index of this.indexes) {
      if (!index.isLookupComplete || !index.fields.every((field) => isLookupValue(filter[field]))) continue;
      const key = index.fields.map((field) => canonicalKey(filter[field])).join('|');
      const owner = index.owner(key);
      return present([owner === undefined ? undefined : this.documents.get(owner)]);
    }
    return this.#byFirstField(filter) ?? this.documents.values();
  }

  /** The index that {@link candidates} narrows a filter through, if any (for `explain`). */
  lookupIndex(filter: Record<string, unknown>): CollectionIndex | undefined {
    const idValue = filter['_id'];
    const idIn = isOperatorObject(idValue) && Array.isArray(idValue['$in']) && Object.keys(idValue).length === 1 && (idValue['$in'] as unknown[]).every(isLookupValue);
    if (isLookupValue(idValue) || idIn) return this.indexes[0];
    const unique = this.indexes.find((index) => index.isLookupComplete && index.fields.every((field) => isLookupValue(filter[field])));
    if (unique) return unique;
    let narrowest: { index: CollectionIndex; size: number } | undefined;
    for (const index of this.indexes) {
      const size = index.idKeysMatching(filter[index.fields[0] as string])?.size;
      if (size !== undefined && (!narrowest || size < narrowest.size)) narrowest = { index, size };
    }
    return narrowest?.index;
  }

  // The smallest set of documents that an index's first field narrows the filter to.
  #byFirstField(filter: Record<string, unknown>): StoredDocument[] | undefined {
    let narrowest: ReadonlySet<string> | undefined;
    for (const index of this.indexes) {
      const idKeys = index.idKeysMatching(filter[index.fields[0] as string]);
      if (idKeys && (!narrowest || idKeys.size < narrowest.size)) narrowest = idKeys;
    }
    if (!narrowest) return undefined;
    const position = (idKey: string) => this.#positions.get(idKey) ?? 0;
    return [...narrowest].sort((left, right) => position(left) - position(right)).map((idKey) => this.documents.get(idKey) as StoredDocument);
  }
}

const NO_KEYS: string[] = [];

// Only a unique index checks and records keys (the others order documents through `track`): the keys of the others
// are not computed on each write.
function uniqueKeysOf(index: CollectionIndex, document: StoredDocument): string[] {
  return index.isUnique ? index.keysOf(document) : NO_KEYS;
}

function present(documents: (StoredDocument | undefined)[]): StoredDocument[] {
  const seen = new Set<StoredDocument>();
  for (const document of documents) if (document) seen.add(document);
  return [...seen];
}

function sameKey(left: Record<string, unknown>, right: Record<string, unknown>): boolean {
  return canonicalKey(left) === canonicalKey(right);
}

const IGNORED_OPTIONS = new Set(['v', 'name', 'key', 'background', 'ns']);

function comparableOptions(specification: IndexSpecification): string {
  const options = Object.entries(specification).filter(([name]) => !IGNORED_OPTIONS.has(name));
  options.sort(([left], [right]) => (left < right ? -1 : 1));
  return canonicalKey(Object.fromEntries(options));
}

function assertSameIndex(existing: IndexSpecification, requested: IndexSpecification): IndexCreation {
  if (existing.name === requested.name && !sameKey(existing.key, requested.key)) {
    throw new CommandError(
      86,
      'IndexKeySpecsConflict',
      `An existing index has the same name as the requested index. Requested index: ${JSON.stringify(requested)}, existing index: ${JSON.stringify(existing)}`,
    );
  }
  if (existing.name !== requested.name) {
    throw new CommandError(85, 'IndexOptionsConflict', `Index already exists with a different name: ${existing.name}`);
  }
  if (comparableOptions(existing) !== comparableOptions(requested)) {
    throw new CommandError(
      85,
      'IndexOptionsConflict',
      `An existing index has the same name as the requested index but different options. Requested index: ${JSON.stringify(requested)}, existing index: ${JSON.stringify(existing)}`,
    );
  }
  return 'existing';
}
