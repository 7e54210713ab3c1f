import { canonicalKey } from '../bson-values.js';
import { valuesAtPath } from '../document-paths.js';
import type { EngineStore } from './engine-store.js';

/**
 * Removes the documents that TTL indexes (`expireAfterSeconds` on a single field) say have expired: those whose
 * field holds a date (the earliest, for an array) older than the index allows, as MongoDB's TTL monitor does.
 * Returns how many were removed.
 */
export function expireDocuments(store: EngineStore, now = Date.now()): number {
  let removed = 0;
  for (const database of store.databases()) {
    for (const collection of store.collections(database)) {
      for (const index of collection.indexes) {
        const seconds = index.specification.expireAfterSeconds;
        if (typeof seconds !== 'number' || index.fields.length !== 1) continue;
        const field = index.fields[0] as string;
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
