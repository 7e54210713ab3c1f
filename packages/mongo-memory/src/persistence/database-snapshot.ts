import type { StoredDocument } from '../bson-values.js';
import type { IndexSpecification } from '../storage/collection-index.js';
import type { EngineStore } from '../storage/engine-store.js';

/** One collection as persistence saves it: its options, its indexes other than `_id_`, and its documents in order. */
export interface CollectionSnapshot {
  name: string;
  options: Record<string, unknown>;
  indexes: IndexSpecification[];
  documents: StoredDocument[];
}

/** A database as persistence saves it. */
export interface DatabaseSnapshot {
  name: string;
  collections: CollectionSnapshot[];
  /** The last journal record whose changes this snapshot holds (absent: a file written without a journal). */
  journalSequence?: number;
}

/**
 * The committed state of a database at this instant, or `undefined` when it has no collection (dropped). It costs
 * one array of references per collection: stored documents are replaced on write, never changed in place, so the
 * snapshot stays as it was while it is written out.
 */
export function snapshotDatabase(store: EngineStore, name: string): DatabaseSnapshot | undefined {
  const collections = store.collections(name);
  if (collections.length === 0) return undefined;
  return {
    name,
    collections: collections.map((collection) => ({
      name: collection.name,
      options: collection.options,
      indexes: collection.indexes.slice(1).map((index) => index.specification),
      documents: [...collection.documents.values()],
    })),
  };
}

/** Puts a saved database back into the store: collections with their options, indexes, then documents. */
export function restoreDatabase(store: EngineStore, snapshot: DatabaseSnapshot): void {
  for (const saved of snapshot.collections) {
    const { collection } = store.ensureCollection(snapshot.name, saved.name, saved.options);
    for (const specification of saved.indexes) collection.createIndex(specification);
    for (const document of saved.documents) collection.insert(document);
  }
}
