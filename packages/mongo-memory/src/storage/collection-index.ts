import { bsonTypeOf, canonicalKey, isOperatorObject, type StoredDocument } from '../bson-values.js';
import { CommandError } from '../command-error.js';
import { valuesAtPath } from '../document-paths.js';
import { isNumeric, numericValue } from '../query/bson-numbers.js';
import { compareBson } from '../query/bson-order.js';
import { compileFilter, type DocumentPredicate } from '../query/compile-filter.js';
import { textIndexFields } from '../query/text/text-index-specification.js';
import { TextPostings } from '../query/text/text-postings.js';

/** An index as `createIndexes` receives it and `listIndexes` returns it (`v`, `key`, `name` and options). */
export interface IndexSpecification extends Record<string, unknown> {
  v?: number;
  key: Record<string, unknown>;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Record<string, unknown>;
  expireAfterSeconds?: number;
}

const NONE: ReadonlySet<string> = new Set();

/** A document's place in an index's ordered list: its values of the fields after the first, then its natural position. */
export interface IndexEntry {
  readonly idKey: string;
  readonly position: number;
  readonly values: readonly unknown[];
}

/**
 * The entries of an index that hold one value of its first field, ordered as the index orders the other fields
 * (each ascending or descending, in MongoDB's order across BSON types), then by natural position.
 */
export type IndexGroup = readonly IndexEntry[];

/**
 * One index of a collection. Unique indexes keep a hash map from key to the owning document's `_id` key, so that a
 * duplicate is found without a scan. Every index that holds all documents (not partial, not sparse) also maps each
 * value of its first field to the documents holding it, ordered by the index's other fields, so that an equality on
 * the first field needs no scan, and a sort along the other fields with a limit reads only what it returns.
 */
export class CollectionIndex {
  readonly fields: string[];
  /** The direction of each field (1 or -1; 1 for a non-numeric direction such as a text or hashed index). */
  readonly directions: (1 | -1)[];
  readonly #entries = new Map<string, string>();
  readonly #groups = new Map<string, IndexEntry[]>();
  readonly #partialFilter: DocumentPredicate | undefined;
  /** The terms of a text index (in its stored form, with `_fts` in the key); `undefined` for other indexes. */
  readonly text: TextPostings | undefined;
  // Set once a document holds an array (or several values) at one of the fields after the first: those documents
  // have several places in the order, so the index no longer gives a sort (as MongoDB's multikey indexes do not).
  #multikey = false;

  constructor(
    readonly specification: IndexSpecification,
    readonly namespace: string,
  ) {
    this.fields = Object.keys(specification.key);
    this.directions = Object.values(specification.key).map((direction) => (isNumeric(direction) && numericValue(direction) < 0 ? -1 : 1));
    const partial = specification.partialFilterExpression;
    this.#partialFilter = partial ? compileFilter(partial) : undefined;
    if ('_fts' in specification.key) {
      const { weights, language } = textIndexFields(specification);
      this.text = new TextPostings(weights, language, this.fields.slice(0, this.fields.indexOf('_fts')));
    }
  }

  /** The index's name. */
  get name(): string {
    return this.specification.name;
  }

  /** Whether this index rejects duplicate keys. */
  get isUnique(): boolean {
    return this.specification.unique === true || this.name === '_id_';
  }

  /** Whether an equality lookup through this index finds every matching document (no partial or sparse gaps). */
  get isLookupComplete(): boolean {
    return this.isUnique && this.#holdsEveryDocument;
  }

  get #holdsEveryDocument(): boolean {
    return !this.#partialFilter && this.specification.sparse !== true;
  }

  // The `_id` index has the collection's own map; the others track their first field.
  get #tracksFirstField(): boolean {
    return this.#holdsEveryDocument && this.name !== '_id_';
  }

  /** Whether the index can give documents in its order: it holds every document, none with an array after its first field. */
  get isOrdered(): boolean {
    const { key, hidden, collation } = this.specification;
    return this.#tracksFirstField && !this.#multikey && hidden !== true && collation === undefined && Object.values(key).every(isNumeric);
  }

  /**
   * The `_id` keys of the documents whose first indexed field can equal `value` (a plain value or `{ $in: [...] }` of
   * plain values), or `undefined` when this index cannot tell (the caller scans).
   */
  idKeysMatching(value: unknown): ReadonlySet<string> | undefined {
    if (!this.#tracksFirstField) return undefined;
    if (isLookupValue(value)) return idKeysOf(this.#groups.get(canonicalKey(value)));
    if (!isOperatorObject(value) || Object.keys(value).length !== 1 || !Array.isArray(value['$in'])) return undefined;
    const values = value['$in'] as unknown[];
    if (!values.every(isLookupValue)) return undefined;
    return new Set(values.flatMap((item) => [...idKeysOf(this.#groups.get(canonicalKey(item)))]));
  }

  /** The ordered entries holding `value` in the first field (`value` a plain value), or `undefined` when not tracked. */
  group(value: unknown): IndexGroup | undefined {
    if (!this.#tracksFirstField || !isLookupValue(value)) return undefined;
    return this.#groups.get(canonicalKey(value)) ?? [];
  }

  /** Orders two entries of a group as the index does: by the fields after the first, then by natural position. */
  compareEntries(left: IndexEntry, right: IndexEntry): number {
    for (let index = 0; index < left.values.length; index += 1) {
      const order = compareBson(left.values[index], right.values[index]);
      if (order !== 0) return order * (this.directions[index + 1] as number);
    }
    return left.position - right.position;
  }

  /** Records, forgets or moves a document at its natural `position` (`previous` absent: an insert). */
  track(idKey: string, position: number, document: StoredDocument | undefined, previous?: StoredDocument): void {
    if (this.text && document !== previous) this.text.update(idKey, document && (!this.#partialFilter || this.#partialFilter(document)) ? document : undefined);
    if (!this.#tracksFirstField) return;
    const next = document ? this.#placesOf(idKey, position, document) : undefined;
    const before = previous ? this.#placesOf(idKey, position, previous) : undefined;
    if (next && before && sameStrings(next.keys, before.keys) && this.compareEntries(next.entry, before.entry) === 0) return;
    if (before) for (const key of before.keys) this.#removeEntry(key, before.entry);
    if (next) for (const key of next.keys) this.#insertEntry(key, next.entry);
  }

  #placesOf(idKey: string, position: number, document: StoredDocument): { keys: string[]; entry: IndexEntry } {
    const firstValues = valuesAtPath(document, this.fields[0] as string);
    const only = firstValues.length === 1 ? firstValues[0] : undefined;
    // One plain value (the common case) is one key; arrays and several values expand to their distinct keys.
    const keys = firstValues.length === 1 && !Array.isArray(only) ? [canonicalKey(only)] : [...new Set(expandArrays(firstValues).map(canonicalKey))];
    const values = this.fields.slice(1).map((field) => {
      const found = valuesAtPath(document, field);
      if (found.length !== 1 || Array.isArray(found[0])) this.#multikey = true;
      return found[0];
    });
    return { keys, entry: { idKey, position, values } };
  }

  #insertEntry(key: string, entry: IndexEntry): void {
    let group = this.#groups.get(key);
    if (!group) this.#groups.set(key, (group = []));
    group.splice(this.#search(group, entry), 0, entry);
  }

  #removeEntry(key: string, entry: IndexEntry): void {
    const group = this.#groups.get(key);
    if (!group) return;
    const at = this.#search(group, entry);
    if (group[at]?.idKey === entry.idKey) group.splice(at, 1);
    else {
      // Not where its values put it (only possible for a multikey document): find it by its _id key.
      const found = group.findIndex((candidate) => candidate.idKey === entry.idKey);
      if (found >= 0) group.splice(found, 1);
    }
    if (group.length === 0) this.#groups.delete(key);
  }

  // The first place in the group whose entry does not come before `entry`.
  #search(group: IndexEntry[], entry: IndexEntry): number {
    let low = 0;
    let high = group.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.compareEntries(group[middle] as IndexEntry, entry) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The index keys of a document (several for array fields), or none when the document is not in the index. */
  keysOf(document: StoredDocument): string[] {
    if (this.#partialFilter && !this.#partialFilter(document)) return [];
    if (this.fields.length === 1) {
      // One field holding one plain value (`_id`, most unique keys): its key alone.
      const values = valuesAtPath(document, this.fields[0] as string);
      const value = values.length === 1 ? values[0] : [];
      if (!Array.isArray(value)) {
        if (this.specification.sparse === true && (value === undefined || value === null)) return [];
        return [canonicalKey(value)];
      }
    }
    const perField = this.fields.map((field) => expandArrays(valuesAtPath(document, field)));
    if (this.specification.sparse === true && perField.every((values) => values.every((value) => value === undefined))) {
      return [];
    }
    return combine(perField.map((values) => values.map(canonicalKey)));
  }

  /** The `_id` key of the document holding an index key, if any. */
  owner(key: string): string | undefined {
    return this.#entries.get(key);
  }

  /** Throws the duplicate key error MongoDB reports when another document already holds one of these keys. */
  assertFree(keys: string[], idKey: string, document: StoredDocument): void {
    if (!this.isUnique) return;
    for (const key of keys) {
      const owner = this.#entries.get(key);
      if (owner !== undefined && owner !== idKey) throw this.duplicateKeyError(document);
    }
  }

  /** Records a document's keys. */
  add(keys: string[], idKey: string): void {
    if (this.isUnique) for (const key of keys) this.#entries.set(key, idKey);
  }

  /** Forgets a document's keys. */
  remove(keys: string[], idKey: string): void {
    if (!this.isUnique) return;
    for (const key of keys) if (this.#entries.get(key) === idKey) this.#entries.delete(key);
  }

  /** The error of a write that would give a second document this document's key. */
  duplicateKeyError(document: StoredDocument): CommandError {
    const keyValue: Record<string, unknown> = {};
    for (const field of this.fields) keyValue[field] = expandArrays(valuesAtPath(document, field))[0] ?? null;
    const rendered = Object.entries(keyValue)
      .map(([field, value]) => `${field}: ${JSON.stringify(value ?? null)}`)
      .join(', ');
    return new CommandError(
      11000,
      'DuplicateKey',
      `E11000 duplicate key error collection: ${this.namespace} index: ${this.name} dup key: { ${rendered} }`,
      { keyPattern: { ...this.specification.key }, keyValue },
    );
  }
}

/** True for values whose equality match is exactly an index key equality: no null (matches missing), arrays, documents. */
export function isLookupValue(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (value instanceof Date) return true;
  return bsonTypeOf(value) === 'ObjectId';
}

function idKeysOf(group: IndexGroup | undefined): ReadonlySet<string> {
  return group ? new Set(group.map((entry) => entry.idKey)) : NONE;
}

function sameStrings(left: string[], right: string[]): boolean {
  return left.length === right.length && left.every((value, index) => value === right[index]);
}

function expandArrays(values: unknown[]): unknown[] {
  const expanded = values.flatMap((value) => (Array.isArray(value) ? (value.length === 0 ? [undefined] : value) : [value]));
  return expanded.map((value) => (value === null ? undefined : value));
}

function combine(perField: string[][]): string[] {
  let keys = [''];
  for (const values of perField) {
    const unique = [...new Set(values)];
    keys = keys.flatMap((prefix) => unique.map((value) => (prefix === '' ? value : `${prefix}|${value}`)));
  }
  return [...new Set(keys)];
}
