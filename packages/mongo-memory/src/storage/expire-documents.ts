import { canonicalKey, isPlainObject } from '../bson-values.js';
import { valuesAtPath } from '../document-paths.js';
import type { Collection } from './collection.js';
import type { EngineStore } from './engine-store.js';

// A single-field TTL index, or a time-series (its time field) or clustered (`_id`) collection's own expireAfterSeconds.
function ttlRules(collection: Collection): [field: string, seconds: number][] {
  const rules: [string, number][] = [];
  for (const index of collection.indexes) {
    const seconds = Number(index.specification.expireAfterSeconds);
    if (index.specification.expireAfterSeconds !== undefined && Number.isFinite(seconds) && index.fields.length === 1) rules.push([index.fields[0] as string, seconds]);
  }
  const { expireAfterSeconds, timeseries, clusteredIndex } = collection.options;
  const seconds = Number(expireAfterSeconds);
  if (expireAfterSeconds !== undefined && Number.isFinite(seconds)) {
    const field = isPlainObject(timeseries) && typeof timeseries['timeField'] === 'string' ? timeseries['timeField'] : clusteredIndex ? '_id' : undefined;
    if (field) rules.push([field, seconds]);
  }
  return rules;
}

/**
 * Removes the documents that TTL indexes (`expireAfterSeconds` on a single field) say have expired: those whose
 * field holds a date (the earliest, for an array) older than the index allows, as MongoDB's TTL monitor does.
 * Returns how many were removed.
 */
export function expireDocuments(store: EngineStore, now = Date.now()): number {
  let removed = 0;
  for (const database of store.databases()) {
    for (const collection of store.collections(database)) {
      for (const [field, seconds] of ttlRules(collection)) {
        const expired = [...collection.documents.values()].filter((document) => {
          const dates = valuesAtPath(document, field)
            .flatMap((value) => (Array.isArray(value) ? value : [value]))
            .filter((value): value is Date => value instanceof Date);
          return dates.length > 0 && Math.min(...dates.map((date) => date.getTime())) + seconds * 1000 <= now;
        });
        for (const document of expired) if (collection.remove(canonicalKey(document['_id']))) removed += 1;
      }
    }
  }
  return removed;
}
