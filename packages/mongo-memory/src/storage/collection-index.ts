import { canonicalKey, type StoredDocument } from '../bson-values.js';
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

/**
 * One index of a collection. Unique indexes keep a hash map from key to the owning document's `_id` key, so that a
 * duplicate is found without a scan; other indexes are only recorded (queries scan).
 */
export class CollectionIndex {
  readonly fields: string[];
  readonly #entries = new Map<string, string>();
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
    return this.isUnique && !this.#partialFilter && this.specification.sparse !== true;
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
