import { CommandError } from '../command-error.js';
import { Collection } from './collection.js';
import type { Store } from './store.js';

/** The engine's own data: databases by name, each a map of its collections. */
export class EngineStore implements Store {
  readonly #databases = new Map<string, Map<string, Collection>>();

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
    collections.set(name, collection);
    return { collection, created: true };
  }

  dropCollection(database: string, name: string): boolean {
    const collections = this.#databases.get(database);
    const dropped = collections?.delete(name) ?? false;
    if (collections?.size === 0) this.#databases.delete(database);
    return dropped;
  }

  dropDatabase(database: string): void {
    this.#databases.delete(database);
  }

  /** Puts a collection in place of any other of the same name (used by `$out` and `renameCollection`). */
  putCollection(collection: Collection): void {
    let collections = this.#databases.get(collection.database);
    if (!collections) this.#databases.set(collection.database, (collections = new Map()));
    collections.set(collection.name, collection);
  }

  collections(database: string): Collection[] {
    return [...(this.#databases.get(database)?.values() ?? [])];
  }

  databases(): string[] {
    return [...this.#databases.keys()];
  }
}

function assertCollectionName(name: string): void {
  if (name.length === 0 || name.includes('\0') || name.includes('$') || name.startsWith('system.')) {
    throw new CommandError(73, 'InvalidNamespace', `Invalid collection name: ${name}`);
  }
}
