import { Aggregator } from 'mingo/aggregator';
import type { AnyObject } from 'mingo/types';
import { canonicalKey, cloneDocument, isPlainObject, isSameValue, type StoredDocument } from '../bson-values.js';
import { badValue, CommandError } from '../command-error.js';
import { setAtPath, valueAtPath } from '../document-paths.js';
import { applyUpdateOperators } from './apply-update-operators.js';
import { mingoOptions } from './mingo-options.js';

/** What an update command's `u` may be: operators, a replacement document, or an aggregation pipeline. */
export type UpdateSpecification = StoredDocument | StoredDocument[];

/** Options of {@link applyUpdate}. */
export interface ApplyUpdateOptions {
  /** The query filter, for the positional `$` operator. */
  filter?: StoredDocument | undefined;
  arrayFilters?: StoredDocument[] | undefined;
  /** True when the update makes a new document (an upsert), so `$setOnInsert` applies. */
  isInsert?: boolean;
}

/** The result of {@link applyUpdate}: a new document, never the stored one changed in place. */
export interface AppliedUpdate {
  document: StoredDocument;
  changed: boolean;
}

/** Applies an update to a copy of a document, as MongoDB's `update` and `findAndModify` do. */
export function applyUpdate(document: StoredDocument, update: UpdateSpecification, options: ApplyUpdateOptions = {}): AppliedUpdate {
  const updated = Array.isArray(update)
    ? applyPipeline(document, update)
    : isOperatorUpdate(update)
      ? applyOperatorUpdate(document, update, options)
      : replaceDocument(document, update);
  if (!updated) return { document, changed: false };
  if (canonicalKey(updated['_id']) !== canonicalKey(document['_id'])) {
    throw new CommandError(66, 'ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
  }
  // Like MongoDB, an update that leaves the document as it was (same values of the same types) changes nothing.
  return { document: updated, changed: !isSameValue(updated, document) };
}

/** True when an update document holds `$` operators rather than a replacement. */
export function isOperatorUpdate(update: UpdateSpecification): update is StoredDocument {
  if (Array.isArray(update)) return false;
  const keys = Object.keys(update);
  const operators = keys.filter((key) => key.startsWith('$'));
  if (operators.length > 0 && operators.length !== keys.length) {
    throw badValue('Update document cannot mix update operators and plain fields');
  }
  return operators.length > 0;
}

// Returns undefined when no operator changed anything, so the caller skips comparing the documents.
function applyOperatorUpdate(document: StoredDocument, update: StoredDocument, options: ApplyUpdateOptions): StoredDocument | undefined {
  const operators: Record<string, unknown> = { ...update };
  const onInsert = operators['$setOnInsert'];
  delete operators['$setOnInsert'];
  if (options.isInsert && isPlainObject(onInsert)) {
    operators['$set'] = { ...(isPlainObject(operators['$set']) ? operators['$set'] : {}), ...onInsert };
  }
  if (Object.keys(operators).length === 0) return undefined;
  const copy = cloneDocument(document);
  const seeded = seedPushTargets(copy, operators['$push']);
  try {
    const changed = applyUpdateOperators(copy, operators, options.filter ?? {}, options.arrayFilters ?? []);
    return changed || seeded ? copy : undefined;
  } catch (error) {
    throw updateFailure(error);
  }
}

// mingo ignores $sort, $slice and $position when $push creates the array; starting from an empty array makes it
// apply them, as MongoDB does.
function seedPushTargets(document: StoredDocument, push: unknown): boolean {
  if (!isPlainObject(push)) return false;
  let seeded = false;
  for (const [path, specification] of Object.entries(push)) {
    if (!isPlainObject(specification) || !('$each' in specification) || path.includes('$')) continue;
    if (valueAtPath(document, path) !== undefined) continue;
    setAtPath(document, path, []);
    seeded = true;
  }
  return seeded;
}

function replaceDocument(document: StoredDocument, replacement: StoredDocument): StoredDocument {
  const copy = cloneDocument(replacement);
  const id = '_id' in copy ? copy['_id'] : document['_id'];
  delete copy['_id'];
  return { _id: id, ...copy };
}

function applyPipeline(document: StoredDocument, pipeline: StoredDocument[]): StoredDocument {
  try {
    const [result] = new Aggregator(pipeline as AnyObject[], mingoOptions()).run([cloneDocument(document)]);
    if (!result) throw badValue('an update pipeline must produce a document');
    return '_id' in result ? result : { _id: document['_id'], ...result };
  } catch (error) {
    throw updateFailure(error);
  }
}

function updateFailure(error: unknown): CommandError {
  if (error instanceof CommandError) return error;
  if (error instanceof Error && /immutable field/.test(error.message)) return new CommandError(66, 'ImmutableField', error.message);
  if (error instanceof Error && /would create a conflict/.test(error.message)) {
    return new CommandError(40, 'ConflictingUpdateOperators', error.message);
  }
  return new CommandError(9, 'FailedToParse', error instanceof Error ? error.message : String(error));
}
