import { Query } from 'mingo/query';
import { bsonTypeOf, canonicalKey, isOperatorObject, type StoredDocument } from '../bson-values.js';
import { badValue } from '../command-error.js';
import { mingoOptions } from './mingo-options.js';

/** A compiled query filter. */
export type DocumentPredicate = (document: StoredDocument) => boolean;

type FieldTest = [field: string, keys: ReadonlySet<string>];

/**
 * Compiles a MongoDB query filter once so it can be tested against many documents; an empty filter matches all.
 * Top-level equalities and `$in` lists of plain values are matched by canonical key; only the rest goes to mingo,
 * and only for documents that passed them.
 */
export function compileFilter(filter: unknown): DocumentPredicate {
  if (filter === undefined || filter === null) return () => true;
  if (typeof filter !== 'object' || Array.isArray(filter)) throw badValue('filter must be an object');
  const tests: FieldTest[] = [];
  const rest: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(filter as Record<string, unknown>)) {
    const keys = field.startsWith('$') || field.includes('.') ? undefined : equalityKeys(value);
    if (keys) tests.push([field, keys]);
    else rest[field] = value;
  }
  const query = Object.keys(rest).length > 0 ? compileQuery(rest) : undefined;
  if (tests.length === 0) return query ?? (() => true);
  return (document) => tests.every(([field, keys]) => hasKey(document[field], keys)) && (!query || query(document));
}

function compileQuery(filter: Record<string, unknown>): DocumentPredicate {
  try {
    const query = new Query(filter, mingoOptions());
    return (document) => query.test(document);
  } catch (error) {
    throw badValue(error instanceof Error ? error.message : String(error));
  }
}

// For these values MongoDB's equality is exactly "the value, or an element of the array, has the same canonical key".
function equalityKeys(value: unknown): ReadonlySet<string> | undefined {
  if (isScalar(value)) return new Set([canonicalKey(value)]);
  if (!isOperatorObject(value) || Object.keys(value).length !== 1) return undefined;
  if ('$eq' in value) return isScalar(value['$eq']) ? new Set([canonicalKey(value['$eq'])]) : undefined;
  const list = value['$in'];
  if (!Array.isArray(list) || !list.every(isScalar)) return undefined;
  return new Set(list.map(canonicalKey));
}

function hasKey(value: unknown, keys: ReadonlySet<string>): boolean {
  if (value === undefined) return false;
  return Array.isArray(value) ? value.some((item) => keys.has(canonicalKey(item))) : keys.has(canonicalKey(value));
}

function isScalar(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  return value instanceof Date || bsonTypeOf(value) === 'ObjectId';
}
