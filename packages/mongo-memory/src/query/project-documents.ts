import type { AnyObject } from 'mingo/types';
import { Query } from 'mingo/query';
import type { StoredDocument } from '../bson-values.js';
import { CommandError } from '../command-error.js';
import { mingoOptions } from './mingo-options.js';

/**
 * Applies a `find` projection (inclusion, exclusion, `_id: 0`, `$slice`, `$elemMatch`, positional `$`) to documents
 * that already matched `filter`; absent or empty returns the input. `_id` stays unless the projection removes it.
 */
export function projectDocuments(documents: StoredDocument[], projection: StoredDocument | undefined, filter?: StoredDocument): StoredDocument[] {
  if (!projection || Object.keys(projection).length === 0) return documents;
  // Only the positional operator needs the filter; without it every document passes, one result per input.
  const positional = Object.keys(projection).some((path) => path.endsWith('.$'));
  let projected: StoredDocument[];
  try {
    projected = new Query((positional ? (filter ?? {}) : {}) as AnyObject, mingoOptions()).find<StoredDocument>(documents, projection).all();
  } catch (error) {
    throw new CommandError(2, 'BadValue', error instanceof Error ? error.message : String(error));
  }
  const keepsId = projection['_id'] !== 0 && projection['_id'] !== false;
  if (!keepsId || projected.length !== documents.length) return projected;
  // mingo drops `_id` when the projection also holds $slice or $elemMatch; MongoDB keeps it.
  return projected.map((document, index) => {
    const id = documents[index]?.['_id'];
    return '_id' in document || id === undefined ? document : { _id: id, ...document };
  });
}
