import type { StoredDocument } from '../bson-values.js';
import { CommandError } from '../command-error.js';
import { Collection, type WriteEffect } from './collection.js';
import type { EngineStore } from './engine-store.js';
import type { Store } from './store.js';

interface RecordedEffect {
  database: string;
  name: string;
  effect: WriteEffect;
}

/**
 * A transaction's view of the data: each collection is snapshotted when the transaction first touches it, writes go
 * to the snapshot and are recorded, and `commit` replays them on the engine's data all-or-nothing. Collection and
 * database drops are refused inside a transaction, as MongoDB does.
 */
export class TransactionStore implements Store {
  readonly #working = new Map<string, Collection>();
  readonly #effects: RecordedEffect[] = [];
  // What each written document was in the snapshot before the transaction's first write to it.
  readonly #originals = new Map<string, StoredDocument | undefined>();

  constructor(readonly base: EngineStore) {}

  collection(database: string, name: string): Collection | undefined {
    const key = `${database}.${name}`;
    const snapshot = this.#working.get(key);
    if (snapshot) return snapshot;
    const original = this.base.collection(database, name);
    return original ? this.#track(original.clone()) : undefined;
  }

  ensureCollection(database: string, name: string, options: Record<string, unknown> = {}) {
    const existing = this.collection(database, name);
    if (existing) return { collection: existing, created: false };
    const fresh = this.base.ensureCollection(database, name, options);
    this.base.dropCollection(database, name);
    return { collection: this.#track(fresh.collection), created: true };
  }

  dropCollection(): boolean {
    throw notInTransaction('drop');
  }

  dropDatabase(): void {
    throw notInTransaction('dropDatabase');
  }

  collections(database: string): Collection[] {
    const names = new Set(this.base.collections(database).map((collection) => collection.name));
    for (const collection of this.#working.values()) if (collection.database === database) names.add(collection.name);
    return [...names].map((name) => this.collection(database, name)).filter((collection) => collection !== undefined);
  }

  databases(): string[] {
    return [...new Set([...this.base.databases(), ...[...this.#working.values()].map((collection) => collection.database)])];
  }

  /**
   * Applies every recorded write to the engine's data, or none of them when one fails: a document someone else
   * changed since the snapshot (WriteConflict, which drivers retry) or a duplicate key.
   */
  commit(): void {
    this.#assertNoConflicts();
    const undo: (() => void)[] = [];
    try {
      for (const { database, name, effect } of this.#effects) this.#apply(database, name, effect, undo);
    } catch (error) {
      for (const step of undo.reverse()) step();
      throw error;
    }
  }

  // Stored documents are replaced, never changed in place, so "unchanged since the snapshot" is reference equality.
  #assertNoConflicts(): void {
    for (const [key, original] of this.#originals) {
      const [database, name, idKey] = JSON.parse(key) as [string, string, string];
      if (this.base.collection(database, name)?.get(idKey) === original) continue;
      throw new CommandError(112, 'WriteConflict', 'Write conflict during plan execution and yielding is disabled.', {
        errorLabels: ['TransientTransactionError'],
      });
    }
  }

  #apply(database: string, name: string, effect: WriteEffect, undo: (() => void)[]): void {
    const { collection, created } = this.base.ensureCollection(database, name);
    if (created) {
      undo.push(() => this.base.dropCollection(database, name));
      const snapshot = this.#working.get(`${database}.${name}`);
      for (const index of snapshot?.indexes.slice(1) ?? []) collection.createIndex(index.specification);
    }
    const previous = collection.get(effect.idKey);
    if (effect.kind === 'delete') {
      if (!previous) return;
      collection.remove(effect.idKey);
      undo.push(() => collection.insert(previous));
    } else if (previous) {
      collection.replace(effect.document);
      undo.push(() => collection.replace(previous));
    } else {
      collection.insert(effect.document);
      undo.push(() => collection.remove(effect.idKey));
    }
  }

  #track(collection: Collection): Collection {
    const { database, name } = collection;
    collection.journal = (effect) => {
      const key = JSON.stringify([database, name, effect.idKey]);
      if (!this.#originals.has(key)) this.#originals.set(key, effect.previous);
      this.#effects.push({ database, name, effect });
    };
    this.#working.set(`${database}.${name}`, collection);
    return collection;
  }
}

function notInTransaction(command: string): CommandError {
  return new CommandError(263, 'OperationNotSupportedInTransaction', `Cannot run '${command}' in a multi-document transaction.`);
}
