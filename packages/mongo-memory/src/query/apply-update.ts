import { Aggregator } from 'mingo/aggregator';
import type { AnyObject } from 'mingo/types';
import { cloneDocument, isPlainObject, isSameValue, type StoredDocument } from '../bson-values.js';
import { badValue, CommandError } from '../command-error.js';
import { compareBson } from './bson-order.js';
import type { Collation } from './collation.js';
import { DATABASE_REFERENCE_FIELDS } from './filter/compile-match.js';
import { mingoOptions } from './mingo-options.js';
import { restoreNumberTypes, toMingoValue } from './mingo-values.js';
import { parseArrayFilters, type ElementFilter } from './update/array-positions.js';
import { applyUpdateTree } from './update/apply-update-tree.js';
import { parseUpdateTree, type UpdateTree } from './update/update-tree.js';

/** What an update command's `u` may be: operators, a replacement document, or an aggregation pipeline. */
export type UpdateSpecification = StoredDocument | StoredDocument[];

/** Options of {@link compileUpdate}. */
export interface CompileUpdateOptions {
  arrayFilters?: unknown;
  collation?: Collation | undefined;
}

/** Options of one application of a compiled update. */
export interface ApplyUpdateOptions {
  /** The query filter, for the positional `$` operator. */
  filter?: StoredDocument | undefined;
  /** True when the update makes a new document (an upsert), so `$setOnInsert` applies. */
  isInsert?: boolean;
}

/** The result of applying an update: a new document, never the stored one changed in place. */
export interface AppliedUpdate {
  document: StoredDocument;
  changed: boolean;
}

/** An update parsed and checked once (as MongoDB does before it looks at any document), then applied to each. */
export interface CompiledUpdate {
  readonly kind: 'operators' | 'replacement' | 'pipeline';
  apply(document: StoredDocument, options?: ApplyUpdateOptions): AppliedUpdate;
}

/**
 * Parses an update (operators, replacement or pipeline) with its array filters, refusing what MongoDB refuses even
 * when no document matches: unknown modifiers, conflicting paths, unused or missing array filters, `$`-prefixed
 * top-level fields in a replacement.
 */
export function compileUpdate(update: unknown, options: CompileUpdateOptions = {}): CompiledUpdate {
  if (Array.isArray(update)) {
    if (!update.every(isPlainObject)) throw badValue('an update pipeline must be an array of stages');
    return { kind: 'pipeline', apply: (document) => finish(document, applyPipeline(document, update)) };
  }
  if (!isPlainObject(update)) throw badValue("the update ('u') must be an object or an array");
  if (!isOperatorUpdate(update)) {
    assertStorableReplacement(update);
    if (options.arrayFilters !== undefined && options.arrayFilters !== null) {
      throw new CommandError(72, 'InvalidOptions', 'Cannot use array filters with a replacement-style update');
    }
    return { kind: 'replacement', apply: (document) => finish(document, replaceDocument(document, update)) };
  }
  const tree = parseUpdateTree(update);
  const arrayFilters = parseArrayFilters(options.arrayFilters, options.collation);
  assertArrayFiltersUsed(tree, arrayFilters, update);
  return {
    kind: 'operators',
    apply(document, applyOptions = {}) {
      const copy = cloneDocument(document);
      const changed = applyUpdateTree(tree.root, copy, {
        original: document,
        filter: applyOptions.filter ?? {},
        arrayFilters,
        isInsert: applyOptions.isInsert === true,
        collation: options.collation,
      });
      return changed ? finish(document, copy) : { document, changed: false };
    },
  };
}

/** True when an update document holds `$` operators (its first field is one) rather than a replacement. */
export function isOperatorUpdate(update: UpdateSpecification): update is StoredDocument {
  if (Array.isArray(update)) return false;
  const [first] = Object.keys(update);
  return first !== undefined && first.startsWith('$');
}

// Like MongoDB, an update that leaves the document as it was (same values of the same types) changes nothing; and
// `_id` can be written only with its own value.
function finish(original: StoredDocument, updated: StoredDocument): AppliedUpdate {
  if (!('_id' in updated) || compareBson(updated['_id'], original['_id']) !== 0) {
    throw new CommandError(66, 'ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
  }
  return { document: updated, changed: !isSameValue(updated, original) };
}

function assertArrayFiltersUsed(tree: UpdateTree, arrayFilters: Map<string, ElementFilter>, update: StoredDocument): void {
  for (const identifier of tree.identifiers) {
    if (!arrayFilters.has(identifier)) {
      throw badValue(`No array filter found for identifier '${identifier}' in path '${findPathWith(update, identifier)}'`);
    }
  }
  for (const identifier of arrayFilters.keys()) {
    if (!tree.identifiers.has(identifier)) {
      throw new CommandError(9, 'FailedToParse', `The array filter for identifier '${identifier}' was not used in the update ${JSON.stringify(update)}`);
    }
  }
}

function findPathWith(update: StoredDocument, identifier: string): string {
  for (const fields of Object.values(update)) {
    if (!isPlainObject(fields)) continue;
    const path = Object.keys(fields).find((candidate) => candidate.includes(`$[${identifier}]`));
    if (path) return path;
  }
  return '';
}

// A replacement's top-level fields cannot start with `$` (a DBRef's fields aside), as in MongoDB 5.0 and later.
function assertStorableReplacement(replacement: StoredDocument): void {
  for (const key of Object.keys(replacement)) {
    if (key.startsWith('$') && !DATABASE_REFERENCE_FIELDS.has(key)) {
      throw new CommandError(
        52,
        'DollarPrefixedFieldName',
        `The dollar ($) prefixed field '${key}' in '${key}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.`,
      );
    }
  }
}

function replaceDocument(document: StoredDocument, replacement: StoredDocument): StoredDocument {
  const copy = cloneDocument(replacement);
  const id = '_id' in copy ? copy['_id'] : document['_id'];
  delete copy['_id'];
  return { _id: id, ...copy };
}

function applyPipeline(document: StoredDocument, pipeline: StoredDocument[]): StoredDocument {
  try {
    const [result] = new Aggregator(pipeline as AnyObject[], mingoOptions()).run([toMingoValue(document) as AnyObject]);
    if (!result) throw badValue('an update pipeline must produce a document');
    const typed = restoreNumberTypes(result, document) as StoredDocument;
    return '_id' in typed ? typed : { _id: document['_id'], ...typed };
  } catch (error) {
    if (error instanceof CommandError) throw error;
    throw new CommandError(9, 'FailedToParse', error instanceof Error ? error.message : String(error));
  }
}
