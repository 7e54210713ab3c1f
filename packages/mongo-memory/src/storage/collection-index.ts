import { bsonTypeOf, canonicalKey, isOperatorObject, type StoredDocument } from '../bson-values.js';
import { CommandError } from '../command-error.js';
import { valuesAtPath } from '../document-paths.js';
import { compileFilter, type DocumentPredicate } from '../query/compile-filter.js';

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

/**
 * One index of a collection. Unique indexes keep a hash map from key to the owning document's `_id` key, so that a
 * duplicate is found without a scan. Every index that holds all documents (not partial, not sparse) also maps the
 * values of its first field to the `_id` keys of the documents holding them, so an equality there needs no scan.
 */
export class CollectionIndex {
  readonly fields: string[];
  readonly #entries = new Map<string, string>();
  readonly #byFirstField = new Map<string, Set<string>>();
  readonly #partialFilter: DocumentPredicate | undefined;

  constructor(
    readonly specification: IndexSpecification,
    readonly namespace: string,
  ) {
    this.fields = Object.keys(specification.key);
    const partial = specification.partialFilterExpression;
    this.#partialFilter = partial ? compileFilter(partial) : undefined;
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

  /**
   * The `_id` keys of the documents whose first indexed field can equal `value` (a plain value or `{ $in: [...] }` of
   * plain values), or `undefined` when this index cannot tell (the caller scans).
   */
  idKeysMatching(value: unknown): ReadonlySet<string> | undefined {
    if (!this.#tracksFirstField) return undefined;
    if (isLookupValue(value)) return this.#byFirstField.get(canonicalKey(value)) ?? NONE;
    if (!isOperatorObject(value) || Object.keys(value).length !== 1 || !Array.isArray(value['$in'])) return undefined;
    const values = value['$in'] as unknown[];
    if (!values.every(isLookupValue)) return undefined;
    return new Set(values.flatMap((item) => [...(this.#byFirstField.get(canonicalKey(item)) ?? NONE)]));
  }

  /** Records, forgets or moves a document under the values of its first field (`previous` absent: an insert). */
  track(idKey: string, document: StoredDocument | undefined, previous?: StoredDocument): void {
    if (!this.#tracksFirstField) return;
    const keys = document ? this.#firstFieldKeys(document) : [];
    const previousKeys = previous ? this.#firstFieldKeys(previous) : [];
    // An unchanged first field keeps the document's place, so lookups stay in natural order.
    if (keys.length === previousKeys.length && keys.every((key, index) => key === previousKeys[index])) return;
    for (const key of previousKeys) {
      const owners = this.#byFirstField.get(key);
      owners?.delete(idKey);
      if (owners?.size === 0) this.#byFirstField.delete(key);
    }
    for (const key of keys) {
      let owners = this.#byFirstField.get(key);
      if (!owners) this.#byFirstField.set(key, (owners = new Set()));
      owners.add(idKey);
    }
  }

  #firstFieldKeys(document: StoredDocument): string[] {
    return [...new Set(expandArrays(valuesAtPath(document, this.fields[0] as string)).map(canonicalKey))];
  }

  /** The index keys of a document (several for array fields), or none when the document is not in the index. */
  keysOf(document: StoredDocument): string[] {
    if (this.#partialFilter && !this.#partialFilter(document)) return [];
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
