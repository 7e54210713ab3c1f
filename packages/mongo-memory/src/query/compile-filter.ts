import { Query } from 'mingo';
import type { StoredDocument } from '../bson-values.js';
import { badValue } from '../command-error.js';
import { mingoOptions } from './mingo-options.js';

/** A compiled query filter. */
export type DocumentPredicate = (document: StoredDocument) => boolean;

/** Compiles a MongoDB query filter once so it can be tested against many documents; an empty filter matches all. */
export function compileFilter(filter: unknown): DocumentPredicate {
  if (filter === undefined || filter === null) return () => true;
  if (typeof filter !== 'object' || Array.isArray(filter)) throw badValue('filter must be an object');
  if (Object.keys(filter).length === 0) return () => true;
  try {
    const query = new Query(filter as Record<string, unknown>, mingoOptions());
    return (document) => query.test(document);
  } catch (error) {
    throw badValue(error instanceof Error ? error.message : String(error));
  }
}
