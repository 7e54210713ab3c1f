import { CommandError } from '../command-error.js';
import { Collection } from './collection.js';
import type { Store } from './store.js';

/**
 * The engine's own data: databases by name, each a map of its collections. It holds committed data only (a
 * transaction works on copies until it commits), and reports every change of a database to `onChange`.
 */
export class EngineStore implements Store {
  readonly #databases = new Map<string, Map<string, Collection>>();
  /** Called with a database's name after any change to it (documents, indexes, collections, a drop). */
  onChange: ((database: string) => void) | undefined;

  collection(database: string, name: string): Collection | undefined {
    return this.#databases.get(database)?.get(name);
  }

  ensureCollection(database: string, name: string, options: Record<string, unknown> = {}) {
    const existing = this.collection(database, name);
    if (existing) return { collection: existing, created: false };
    assertCollectionName(name);
    let collections = this.#databases.get(database);
    if (!collections) this.#databases.set(database, (collections = new Map()));
    const collection = new Collection(database, name, options);
    collections.set(name, this.#watch(collection));
    this.onChange?.(database);
    return { collection, created: true };
  }

  dropCollection(database: string, name: string): boolean {
    const collections = this.#databases.get(database);
    const dropped = collections?.get(name);
    if (dropped) dropped.onChange = undefined;
    collections?.delete(name);
    if (collections?.size === 0) this.#databases.delete(database);
    if (dropped) this.onChange?.(database);
    return dropped !== undefined;
  }

  dropDatabase(database: string): void {
    for (const collection of this.#databases.get(database)?.values() ?? []) collection.onChange = undefined;
    this.#databases.delete(database);
    this.onChange?.(database);
  }

  /** Puts a collection in place of any other of the same name (used by `$out` and `renameCollection`). */
  putCollection(collection: Collection): void {
    let collections = this.#databases.get(collection.database);
    if (!collections) this.#databases.set(collection.database, (collections = new Map()));
    const replaced = collections.get(collection.name);
    if (replaced) replaced.onChange = undefined;
    collections.set(collection.name, this.#watch(collection));
    this.onChange?.(collection.database);
  }

  collections(database: string): Collection[] {
    return [...(this.#databases.get(database)?.values() ?? [])];
  }

  databases(): string[] {
    return [...this.#databases.keys()];
  }

  #watch(collection: Collection): Collection {
    collection.onChange = () => this.onChange?.(collection.database);
    return collection;
  }
}

function assertCollectionName(name: string): void {
  if (name.length === 0 || name.includes('\0') || name.includes('$') || name.startsWith('system.')) {
    throw new CommandError(73, 'InvalidNamespace', `Invalid collection name: ${name}`);
  }
}
