import { serialize, type Document } from 'bson';
import { canonicalKey, isPlainObject, type StoredDocument } from '../bson-values.js';
import type { IndexSpecification } from '../storage/collection-index.js';
import type { EngineStore, StoreChange } from '../storage/engine-store.js';

/**
 * A change as the journal stores it: one BSON document naming the database (`d`) and collection (`c`). `put` carries
 * the whole document, `delete` its `_id`, `define` the collection's options and indexes as they now are.
 */
export type JournalChange =
  | { o: 'put'; d: string; c: string; doc: StoredDocument }
  | { o: 'delete'; d: string; c: string; id: unknown }
  | { o: 'define'; d: string; c: string; options: Record<string, unknown>; indexes: IndexSpecification[] }
  | { o: 'dropCollection'; d: string; c: string }
  | { o: 'dropDatabase'; d: string };

/** The database a change belongs to. */
export function databaseOf(change: StoreChange): string {
  return change.kind === 'dropCollection' || change.kind === 'dropDatabase' ? change.database : change.collection.database;
}

/**
 * Encodes a change at once (so later in-place changes of options or index flags cannot alter what is recorded), in
 * the same encoding as replies on the wire and database files, so it reads back with its BSON types.
 */
export function encodeChange(change: StoreChange): Uint8Array {
  return serialize(journalChangeOf(change), { ignoreUndefined: true });
}

function journalChangeOf(change: StoreChange): JournalChange {
  switch (change.kind) {
    case 'put':
      return { o: 'put', d: change.collection.database, c: change.collection.name, doc: change.document };
    case 'delete':
      return { o: 'delete', d: change.collection.database, c: change.collection.name, id: change.previous['_id'] };
    case 'define':
      return {
        o: 'define',
        d: change.collection.database,
        c: change.collection.name,
        options: change.collection.options,
        indexes: change.collection.indexes.slice(1).map((index) => index.specification),
      };
    case 'dropCollection':
      return { o: 'dropCollection', d: change.database, c: change.name };
    case 'dropDatabase':
      return { o: 'dropDatabase', d: change.database };
  }
}

/** Applies a decoded journal change to the store, as it was applied when recorded; throws on a malformed change. */
export function applyJournalChange(store: EngineStore, document: Document): void {
  const change = document as JournalChange;
  if (typeof change.d !== 'string') throw new Error('journal change without a database');
  switch (change.o) {
    case 'put': {
      if (typeof change.c !== 'string' || !isPlainObject(change.doc)) throw new Error('malformed put');
      const { collection } = store.ensureCollection(change.d, change.c);
      if (collection.get(canonicalKey(change.doc['_id']))) collection.replace(change.doc);
      else collection.insert(change.doc);
      return;
    }
    case 'delete':
      if (typeof change.c !== 'string') throw new Error('malformed delete');
      store.collection(change.d, change.c)?.remove(canonicalKey(change.id));
      return;
    case 'define': {
      if (typeof change.c !== 'string' || !isPlainObject(change.options) || !Array.isArray(change.indexes)) throw new Error('malformed define');
      const { collection } = store.ensureCollection(change.d, change.c, change.options);
      for (const key of Object.keys(collection.options)) delete collection.options[key];
      Object.assign(collection.options, change.options);
      const wanted = new Map(change.indexes.map((specification) => [specification.name, specification]));
      for (const index of collection.indexes.slice(1)) {
        const specification = wanted.get(index.name);
        if (specification && canonicalKey(specification.key) === canonicalKey(index.specification.key)) {
          // Same index, flags changed by collMod (hidden, expireAfterSeconds): take them as recorded.
          for (const key of Object.keys(index.specification)) delete index.specification[key];
          Object.assign(index.specification, specification);
          wanted.delete(index.name);
        } else {
          collection.dropIndex(index.name);
        }
      }
      for (const specification of wanted.values()) collection.createIndex(specification);
      return;
    }
    case 'dropCollection':
      if (typeof change.c !== 'string') throw new Error('malformed dropCollection');
      store.dropCollection(change.d, change.c);
      return;
    case 'dropDatabase':
      store.dropDatabase(change.d);
      return;
    default:
      throw new Error(`unknown journal change ${String((change as { o: unknown }).o)}`);
  }
}
