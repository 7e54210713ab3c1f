import type { StoredDocument } from '../bson-values.js';
import type { Collection } from '../storage/collection.js';
import { compileFilter } from './compile-filter.js';
import { sortDocuments, type SortSpecification } from './sort-documents.js';

/** Options of {@link findDocuments}. */
export interface FindOptions {
  sort?: SortSpecification | undefined;
  skip?: number | undefined;
  /** At most this many documents; 0 or absent means no limit. */
  limit?: number | undefined;
}

/**
 * The stored documents of a collection that match a filter, sorted, skipped and limited. The documents are the
 * stored objects themselves: callers must not change them (they are serialised or copied before anyone can).
 */
export function findDocuments(collection: Collection | undefined, filter: StoredDocument | undefined, options: FindOptions = {}): StoredDocument[] {
  const matches = compileFilter(filter);
  if (!collection) return [];
  const skip = Math.max(0, options.skip ?? 0);
  const limit = Math.abs(options.limit ?? 0);
  const unsorted = !options.sort || Object.keys(options.sort).length === 0;
  const found: StoredDocument[] = [];
  for (const document of collection.candidates(filter)) {
    if (!matches(document)) continue;
    found.push(document);
    // Without a sort, the natural order is final: stop as soon as the requested window is full.
    if (unsorted && limit > 0 && found.length >= skip + limit) break;
  }
  const ordered = unsorted ? found : sortDocuments(found, options.sort as SortSpecification);
  return ordered.slice(skip, limit > 0 ? skip + limit : undefined);
}
