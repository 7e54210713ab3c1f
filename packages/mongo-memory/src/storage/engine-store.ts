import type { StoredDocument } from '../bson-values.js';
import { CommandError } from '../command-error.js';
import { Collection } from './collection.js';
import type { Store } from './store.js';

/**
 * One change to the engine's data, in the order it happened, as the journal records it: every one is a blind write
 * (the state it leaves does not depend on the state before), so replaying them in order rebuilds the data.
 */
export type StoreChange =
  | { kind: 'put'; collection: Collection; document: StoredDocument }
  | { kind: 'delete'; collection: Collection; previous: StoredDocument }
  /** A collection created, or its options or indexes changed: its definition as it now is. */
  | { kind: 'define'; collection: Collection }
  | { kind: 'dropCollection'; database: string; name: string }
  | { kind: 'dropDatabase'; database: string };

/**
 * The engine's own data: databases by name, each a map of its collections. It holds committed data only (a
 * transaction works on copies until it commits), and reports every change of a database to `onChange`.
 */
export class EngineStore implements Store {
  readonly #databases = new Map<string, Map<string, Collection>>();
  /** Called with a database's name after any change to it (documents, indexes, collections, a drop). */
  onChange: ((database: string) => void) | undefined;
  /** Called with every change, as it happens (the journal's source); `onChange` is called too. */
  onWrite: ((change: StoreChange) => void) | undefined;

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
    this.onWrite?.({ kind: 'define', collection });
    this.onChange?.(database);
    return { collection, created: true };
  }

  dropCollection(database: string, name: string): boolean {
    const collections = this.#databases.get(database);
    const dropped = collections?.get(name);
    if (dropped) this.#unwatch(dropped);
    collections?.delete(name);
    if (collections?.size === 0) this.#databases.delete(database);
    if (dropped) this.onWrite?.({ kind: 'dropCollection', database, name });
    if (dropped) this.onChange?.(database);
    return dropped !== undefined;
  }

  dropDatabase(database: string): void {
    for (const collection of this.#databases.get(database)?.values() ?? []) this.#unwatch(collection);
    this.#databases.delete(database);
    this.onWrite?.({ kind: 'dropDatabase', database });
    this.onChange?.(database);
  }

  /** Puts a collection in place of any other of the same name (used by `$out` and `renameCollection`). */
  putCollection(collection: Collection): void {
    let collections = this.#databases.get(collection.database);
    if (!collections) this.#databases.set(collection.database, (collections = new Map()));
    const replaced = collections.get(collection.name);
    if (replaced) this.#unwatch(replaced);
    collections.set(collection.name, this.#watch(collection));
    if (this.onWrite) {
      if (replaced) this.onWrite({ kind: 'dropCollection', database: collection.database, name: collection.name });
      this.onWrite({ kind: 'define', collection });
      for (const document of collection.documents.values()) this.onWrite({ kind: 'put', collection, document });
    }
    this.onChange?.(collection.database);
  }

  collections(database: string): Collection[] {
    return [...(this.#databases.get(database)?.values() ?? [])];
  }

  databases(): string[] {
    return [...this.#databases.keys()];
  }

  #watch(collection: Collection): Collection {
    collection.onChange = (kind) => {
      if (kind === 'definition') this.onWrite?.({ kind: 'define', collection });
      this.onChange?.(collection.database);
    };
    collection.journal = (effect) =>
      this.onWrite?.(effect.kind === 'put' ? { kind: 'put', collection, document: effect.document } : { kind: 'delete', collection, previous: effect.previous });
    return collection;
  }

  #unwatch(collection: Collection): void {
    collection.onChange = undefined;
    collection.journal = undefined;
  }
}

function assertCollectionName(name: string): void {
  if (name.length === 0 || name.includes('\0') || name.includes('$') || name.startsWith('system.')) {
    throw new CommandError(73, 'InvalidNamespace', `Invalid collection name: ${name}`);
  }
}
