import { Query } from 'mingo/query';
import type { AnyObject } from 'mingo/types';
import type { StoredDocument } from '../bson-values.js';
import { CommandError } from '../command-error.js';
import { mingoOptions } from './mingo-options.js';

/** Applies a `find` projection (inclusion, exclusion, `_id: 0`, `$slice`, `$elemMatch`); absent returns the input. */
export function projectDocuments(documents: StoredDocument[], projection: StoredDocument | undefined, filter?: StoredDocument): StoredDocument[] {
  if (!projection || Object.keys(projection).length === 0) return documents;
  try {
    return new Query((filter ?? {}) as AnyObject, mingoOptions()).find<StoredDocument>(documents, projection).all();
  } catch (error) {
    throw new CommandError(2, 'BadValue', error instanceof Error ? error.message : String(error));
  }
}
