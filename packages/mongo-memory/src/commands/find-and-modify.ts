import { canonicalKey, isPlainObject, type StoredDocument } from '../bson-values.js';
import { badValue, CommandError } from '../command-error.js';
import { EncodedDocument, encodeStoredDocument } from '../encoded-documents.js';
import { compileUpdate } from '../query/apply-update.js';
import { findDocuments } from '../query/find-documents.js';
import { projectDocuments } from '../query/project-documents.js';
import type { SortSpecification } from '../query/sort-documents.js';
import { buildUpsertDocument } from '../query/upsert-document.js';
import { objectArgument, queryOptionsOf, writeCollection, type CommandHandler } from './command-context.js';
import { insertChecked, replaceChecked } from './document-rules.js';

/**
 * `findAndModify`: finds the first document in `sort` order, then removes or updates it (upserting when asked),
 * and returns it as it was before, or after with `new: true`, shaped by `fields`.
 */
export const findAndModify: CommandHandler = (context) => {
  const { command } = context;
  const filter = objectArgument(context, 'query') ?? {};
  const change = command['update'];
  const remove = command['remove'] === true;
  if (remove && change !== undefined) throw new CommandError(9, 'FailedToParse', 'Cannot specify both an update and remove=true');
  if (!remove && !isPlainObject(change) && !Array.isArray(change)) throw new CommandError(9, 'FailedToParse', 'Either an update or remove=true must be specified');
  if (remove && command['upsert'] === true) throw new CommandError(9, 'FailedToParse', 'Cannot specify both upsert=true and remove=true');
  const collection = writeCollection(context);
  const { collation, hint } = queryOptionsOf(command, collection);
  const compiled = remove ? undefined : compileUpdate(change, { arrayFilters: command['arrayFilters'], collation });
  const sort = objectArgument(context, 'sort') as SortSpecification | undefined;
  const [target] = findDocuments(collection, filter, { sort, limit: 1, collation, hint });
  const fields = objectArgument(context, 'fields');
  // Without `fields`, the document is a stored one (before or after the change, never changed in place): its BSON
  // goes into the reply as encoded, and stays cached for the reads that follow.
  const shape = (document: StoredDocument | undefined) => {
    if (!document) return null;
    if (!fields || Object.keys(fields).length === 0) return new EncodedDocument(encodeStoredDocument(document));
    return projectDocuments([document], fields, filter, collation)[0];
  };

  if (!compiled) {
    if (target) collection.remove(canonicalKey(target['_id']));
    return { lastErrorObject: { n: target ? 1 : 0 }, value: shape(target) };
  }
  if (!target) {
    if (command['upsert'] !== true) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null };
    const document = buildUpsertDocument(filter, compiled, change);
    insertChecked(context, collection, document);
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: document['_id'] },
      value: command['new'] === true ? shape(document) : null,
    };
  }
  const result = compiled.apply(target, { filter });
  if (result.changed) replaceChecked(context, collection, result.document, target);
  if (command['new'] !== true && command['new'] !== undefined && typeof command['new'] !== 'boolean') throw badValue("'new' must be a boolean");
  return {
    lastErrorObject: { n: 1, updatedExisting: true },
    value: shape(command['new'] === true ? result.document : target),
  };
};
