import { Query } from 'mingo/query';
import { bsonTypeOf, canonicalKey, type StoredDocument } from '../bson-values.js';
import { badValue } from '../command-error.js';
import { mingoOptions } from './mingo-options.js';

/** A compiled query filter. */
export type DocumentPredicate = (document: StoredDocument) => boolean;

/** Compiles a MongoDB query filter once so it can be tested against many documents; an empty filter matches all. */
export function compileFilter(filter: unknown): DocumentPredicate {
  if (filter === undefined || filter === null) return () => true;
  if (typeof filter !== 'object' || Array.isArray(filter)) throw badValue('filter must be an object');
  if (Object.keys(filter).length === 0) return () => true;
  const simple = compileSimpleEquality(filter as Record<string, unknown>);
  if (simple) return simple;
  try {
    const query = new Query(filter as Record<string, unknown>, mingoOptions());
    return (document) => query.test(document);
  } catch (error) {
    throw badValue(error instanceof Error ? error.message : String(error));
  }
}

// The most common filters (`{ _id: id }`, `{ userId: id, name: 'x' }`) skip mingo's compilation, which costs more than
// the match itself. Only top-level fields with scalar values qualify: there MongoDB's equality is exactly "the value,
// or an element of the array, has the same canonical key".
function compileSimpleEquality(filter: Record<string, unknown>): DocumentPredicate | undefined {
  const fields: [string, string][] = [];
  for (const [field, value] of Object.entries(filter)) {
    if (field.startsWith('$') || field.includes('.') || !isScalar(value)) return undefined;
    fields.push([field, canonicalKey(value)]);
  }
  return (document) =>
    fields.every(([field, key]) => {
      const value = document[field];
      return Array.isArray(value) ? value.some((item) => canonicalKey(item) === key) : value !== undefined && canonicalKey(value) === key;
    });
}

function isScalar(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  return value instanceof Date || bsonTypeOf(value) === 'ObjectId';
}
