import { canonicalKey, isPlainObject, type StoredDocument } from '../bson-values.js';
import { badValue } from '../command-error.js';
import { applyUpdate, type UpdateSpecification } from '../query/apply-update.js';
import { findDocuments } from '../query/find-documents.js';
import { projectDocuments } from '../query/project-documents.js';
import type { SortSpecification } from '../query/sort-documents.js';
import { buildUpsertDocument } from '../query/upsert-document.js';
import { objectArgument, writeCollection, type CommandHandler } from './command-context.js';

/**
 * `findAndModify`: finds the first document in `sort` order, then removes or updates it (upserting when asked),
 * and returns it as it was before, or after with `new: true`, shaped by `fields`.
 */
export const findAndModify: CommandHandler = (context) => {
  const { command } = context;
  const filter = objectArgument(context, 'query') ?? {};
  const change = command['update'] as UpdateSpecification | undefined;
  const remove = command['remove'] === true;
  if (!remove && !isPlainObject(change) && !Array.isArray(change)) throw badValue("findAndModify needs 'update' or 'remove'");
  const collection = writeCollection(context);
  const sort = objectArgument(context, 'sort') as SortSpecification | undefined;
  const [target] = findDocuments(collection, filter, { sort, limit: 1 });
  const fields = objectArgument(context, 'fields');
  const shape = (document: StoredDocument | undefined) => (document ? projectDocuments([document], fields)[0] : null);

  if (remove || change === undefined) {
    if (target) collection.remove(canonicalKey(target['_id']));
    return { lastErrorObject: { n: target ? 1 : 0 }, value: shape(target) };
  }
  const arrayFilters = command['arrayFilters'] as StoredDocument[] | undefined;
  if (!target) {
    if (command['upsert'] !== true) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null };
    const document = buildUpsertDocument(filter, change, arrayFilters);
    collection.insert(document);
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: document['_id'] },
      value: command['new'] === true ? shape(document) : null,
    };
  }
  const result = applyUpdate(target, change, { filter, arrayFilters });
  if (result.changed) collection.replace(result.document);
  return {
    lastErrorObject: { n: 1, updatedExisting: true },
    value: shape(command['new'] === true ? result.document : target),
  };
};
