import { bsonTypeOf, canonicalKey, isOperatorObject, isPlainObject } from '../bson-values.js';
import { badValue } from '../command-error.js';
import { compileMatch, type DocumentPredicate, type MatchOptions } from './filter/compile-match.js';

export type { DocumentPredicate, MatchOptions } from './filter/compile-match.js';

type FieldTest = [field: string, test: (value: unknown) => boolean];

/**
 * Compiles a MongoDB query filter once so it can be tested against many documents; an empty filter matches all.
 * Top-level equalities and `$in` lists of plain values are matched by canonical key (strings only without a
 * collation); the rest goes to the engine's matcher, and only for documents that passed them.
 */
export function compileFilter(filter: unknown, options: MatchOptions = {}): DocumentPredicate {
  if (filter === undefined || filter === null) return () => true;
  if (!isPlainObject(filter)) throw badValue('filter must be an object');
  const tests: FieldTest[] = [];
  const rest: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(filter)) {
    const keys = field.startsWith('$') || field.includes('.') ? undefined : equalityKeys(value, options);
    if (keys) tests.push([field, equalityTest(value, keys)]);
    else rest[field] = value;
  }
  const query = Object.keys(rest).length > 0 ? compileMatch(rest, options) : undefined;
  if (tests.length === 0) return query ?? (() => true);
  return (document) => tests.every(([field, test]) => test(document[field])) && (!query || query(document));
}

interface ObjectIdWords {
  i0?: unknown;
  i1?: unknown;
  i2?: unknown;
  i3?: unknown;
}

// An equality with one ObjectId (an owner, a session id: most filters the server sends) compares bson's four words
// of each candidate's value instead of building its hex key; anything else is matched by canonical key.
function equalityTest(value: unknown, keys: ReadonlySet<string>): (candidate: unknown) => boolean {
  const target = (isOperatorObject(value) ? (value['$eq'] ?? value['$in']) : value) as ObjectIdWords | undefined;
  const single = Array.isArray(target) ? (target.length === 1 ? (target[0] as ObjectIdWords) : undefined) : target;
  if (bsonTypeOf(single) !== 'ObjectId' || typeof single?.i0 !== 'number') return (candidate) => hasKey(candidate, keys);
  const { i0, i1, i2, i3 } = single;
  const same = (candidate: unknown): boolean => {
    const words = candidate as ObjectIdWords;
    if (typeof words.i0 !== 'number') return keys.has(canonicalKey(candidate));
    return words.i0 === i0 && words.i1 === i1 && words.i2 === i2 && words.i3 === i3;
  };
  return (candidate) => {
    if (bsonTypeOf(candidate) === 'ObjectId') return same(candidate);
    return Array.isArray(candidate) && candidate.some((item) => bsonTypeOf(item) === 'ObjectId' && same(item));
  };
}

// For these values MongoDB's equality is exactly "the value, or an element of the array, has the same canonical key".
function equalityKeys(value: unknown, options: MatchOptions): ReadonlySet<string> | undefined {
  if (isScalar(value, options)) return new Set([canonicalKey(value)]);
  if (!isOperatorObject(value) || Object.keys(value).length !== 1) return undefined;
  if ('$eq' in value) return isScalar(value['$eq'], options) ? new Set([canonicalKey(value['$eq'])]) : undefined;
  const list = value['$in'];
  if (!Array.isArray(list) || !list.every((item) => isScalar(item, options))) return undefined;
  return new Set(list.map(canonicalKey));
}

function hasKey(value: unknown, keys: ReadonlySet<string>): boolean {
  if (value === undefined) return false;
  return Array.isArray(value) ? value.some((item) => keys.has(canonicalKey(item))) : keys.has(canonicalKey(value));
}

function isScalar(value: unknown, options: MatchOptions): boolean {
  if (typeof value === 'string') return !options.collation;
  if (typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  return value instanceof Date || bsonTypeOf(value) === 'ObjectId';
}
