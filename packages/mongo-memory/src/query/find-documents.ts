import type { StoredDocument } from '../bson-values.js';
import type { Collection } from '../storage/collection.js';
import type { Collation } from './collation.js';
import { compileFilter } from './compile-filter.js';
import { applyHint, type Hint } from './hint.js';
import { planIndexScan } from './plan-index-scan.js';
import { sortDocuments, type SortSpecification } from './sort-documents.js';
import type { TextHit } from './text/text-postings.js';
import { searchText, splitTextFilter } from './text/text-query.js';

/** Options of {@link findDocuments}. */
export interface FindOptions {
  sort?: SortSpecification | undefined;
  skip?: number | undefined;
  /** At most this many documents; 0 or absent means no limit. */
  limit?: number | undefined;
  /** How strings compare in the filter and the sort; absent: by code unit. */
  collation?: Collation | undefined;
  /** The index the query must use (its order, and only its documents when it is sparse or partial). */
  hint?: Hint | undefined;
  /** Filled with the text score of each document found, when the filter has `$text` (for `{ $meta: 'textScore' }`). */
  textScores?: Map<StoredDocument, number> | undefined;
}

/**
 * The stored documents of a collection that match a filter, sorted, skipped and limited. The documents are the
 * stored objects themselves: callers must not change them (they are serialised or copied before anyone can).
 */
export function findDocuments(collection: Collection | undefined, filter: StoredDocument | undefined, options: FindOptions = {}): StoredDocument[] {
  const text = splitTextFilter(filter);
  if (text) return findTextDocuments(collection, text, options);
  const matches = compileFilter(filter, { collation: options.collation });
  if (!collection) return [];
  const skip = Math.max(0, options.skip ?? 0);
  const limit = Math.abs(options.limit ?? 0);
  const unsorted = !options.sort || Object.keys(options.sort).length === 0;
  const ordered = unsorted && options.hint !== undefined;
  const found: StoredDocument[] = [];
  // An index that gives the sort's order is walked in it, and the walk stops as soon as the window is full.
  const scan = unsorted || options.collation || options.hint ? undefined : planIndexScan(collection, filter, options.sort as SortSpecification);
  if (scan) {
    for (const document of scan.documents) {
      if (!matches(document)) continue;
      found.push(document);
      if (limit > 0 && found.length >= skip + limit) break;
    }
    return found.slice(skip, limit > 0 ? skip + limit : undefined);
  }
  // A collation makes strings equal that index keys tell apart, so the index lookups are not used then.
  for (const document of collection.candidates(options.collation ? undefined : filter)) {
    if (!matches(document)) continue;
    found.push(document);
    // Without a sort, the natural order is final: stop as soon as the requested window is full.
    if (unsorted && !ordered && limit > 0 && found.length >= skip + limit) break;
  }
  const hinted = options.hint ? applyHint(collection, found, options.hint, unsorted) : found;
  const sorted = unsorted ? hinted : sortDocuments(hinted, options.sort as SortSpecification, options.collation?.compare);
  return sorted.slice(skip, limit > 0 ? skip + limit : undefined);
}

/** A query with `$text`: the documents its text index finds, tested against the rest of the filter. */
function findTextDocuments(collection: Collection | undefined, text: NonNullable<ReturnType<typeof splitTextFilter>>, options: FindOptions): StoredDocument[] {
  if (!collection) {
    compileFilter(text.rest, { collation: options.collation });
    return [];
  }
  const { hits, rest } = searchText(collection, text.text, text.rest);
  const matches = Object.keys(rest).length > 0 ? compileFilter(rest, { collation: options.collation }) : undefined;
  const kept = matches ? hits.filter((hit) => matches(hit.document)) : hits;
  const skip = Math.max(0, options.skip ?? 0);
  const limit = Math.abs(options.limit ?? 0);
  const sort = options.sort ?? {};
  const sortKeys = Object.values(sort);
  let window: TextHit[];
  if (sortKeys.length === 1 && isTextScoreMeta(sortKeys[0])) {
    // The usual text query sorts by its score alone: numbers, compared directly (a stable sort keeps ties in order).
    window = kept.sort((left, right) => right.score - left.score).slice(skip, limit > 0 ? skip + limit : undefined);
  } else if (sortKeys.length > 0) {
    const scoreOf = new Map(kept.map((hit) => [hit.document, hit.score]));
    const sorted = sortDocuments(kept.map((hit) => hit.document), sort, options.collation?.compare, scoreOf);
    window = sorted.slice(skip, limit > 0 ? skip + limit : undefined).map((document) => ({ document, score: scoreOf.get(document) as number }));
  } else {
    window = kept.slice(skip, limit > 0 ? skip + limit : undefined);
  }
  for (const hit of window) options.textScores?.set(hit.document, hit.score);
  return window.map((hit) => hit.document);
}

function isTextScoreMeta(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)['$meta'] === 'textScore';
}
