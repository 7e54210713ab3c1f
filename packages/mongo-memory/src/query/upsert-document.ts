import { ObjectId } from 'bson';
import { cloneDocument, isOperatorObject, isPlainObject, type StoredDocument } from '../bson-values.js';
import { setAtPath } from '../document-paths.js';
import type { CompiledUpdate } from './apply-update.js';

/**
 * The document an upsert inserts when nothing matched: seeded from the filter's equality fields (including dotted
 * paths, `$eq` and `$and`) for an operator update, then updated with `$setOnInsert` applying; `_id` comes first and
 * is a new ObjectId when neither the filter nor the update gives one.
 */
export function buildUpsertDocument(filter: StoredDocument, update: CompiledUpdate, source: unknown): StoredDocument {
  const equalities = collectEqualities(filter);
  if (update.kind === 'replacement') {
    const { _id: givenId } = source as StoredDocument;
    const id = givenId !== undefined ? givenId : equalities.has('_id') ? cloneDocument(equalities.get('_id')) : new ObjectId();
    return update.apply({ _id: id }).document;
  }
  const seed: StoredDocument = {};
  for (const [path, value] of equalities) setAtPath(seed, path, cloneDocument(value));
  const { _id: seededId, ...fields } = seed;
  const withId = { _id: seededId !== undefined ? seededId : (idFromOperators(source) ?? new ObjectId()), ...fields };
  const { document } = update.apply(withId, { isInsert: true, filter });
  if (document['_id'] === undefined) return { ...document, _id: withId['_id'] };
  return document;
}

function collectEqualities(filter: StoredDocument, found = new Map<string, unknown>()): Map<string, unknown> {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const clause of value) if (isPlainObject(clause)) collectEqualities(clause, found);
    } else if (key.startsWith('$') || value instanceof RegExp) {
      continue;
    } else if (isOperatorObject(value)) {
      if ('$eq' in value && !(value['$eq'] instanceof RegExp)) found.set(key, value['$eq']);
    } else {
      found.set(key, value);
    }
  }
  return found;
}

function idFromOperators(update: unknown): unknown {
  if (!isPlainObject(update)) return undefined;
  for (const operator of ['$set', '$setOnInsert']) {
    const fields = update[operator];
    if (isPlainObject(fields) && fields['_id'] !== undefined) return cloneDocument(fields['_id']);
  }
  return undefined;
}
