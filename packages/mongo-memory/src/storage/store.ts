import type { Collection } from './collection.js';

/**
 * Where commands find collections: the engine's own data, or a transaction's snapshot of it. Reads go through
 * `collection`; writes through `ensureCollection`, which creates a missing collection the way MongoDB does.
 */
export interface Store {
  /** The collection, or `undefined` when it does not exist. */
  collection(database: string, name: string): Collection | undefined;
  /** The collection, created empty when missing; `created` says whether it was. */
  ensureCollection(database: string, name: string, options?: Record<string, unknown>): { collection: Collection; created: boolean };
  /** Drops a collection; returns whether it existed. */
  dropCollection(database: string, name: string): boolean;
  /** Drops every collection of a database. */
  dropDatabase(database: string): void;
  /** The collections of a database, in creation order. */
  collections(database: string): Collection[];
  /** The names of the databases that hold at least one collection. */
  databases(): string[];
}
