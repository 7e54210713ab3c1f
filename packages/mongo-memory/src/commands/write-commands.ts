import { ObjectId } from 'bson';
import { canonicalKey, isPlainObject, type StoredDocument } from '../bson-values.js';
import { badValue, CommandError } from '../command-error.js';
import { compileUpdate } from '../query/apply-update.js';
import { findDocuments } from '../query/find-documents.js';
import { buildUpsertDocument } from '../query/upsert-document.js';
import type { Collection } from '../storage/collection.js';
import { queryOptionsOf, readCollection, writeCollection, type CommandContext, type CommandHandler } from './command-context.js';
import { insertChecked, replaceChecked } from './document-rules.js';

interface WriteError extends Record<string, unknown> {
  index: number;
  code: number;
  errmsg: string;
}

/**
 * Runs each operation of a write command; an ordered batch stops at the first failure. Failures are reported as
 * MongoDB's `writeErrors` (with `keyPattern`/`keyValue` on duplicate keys) rather than failing the whole command.
 */
function runBatch<T>(context: CommandContext, operations: T[], run: (operation: T, index: number) => void): WriteError[] {
  const ordered = context.command['ordered'] !== false;
  const errors: WriteError[] = [];
  for (const [index, operation] of operations.entries()) {
    try {
      run(operation, index);
    } catch (error) {
      if (!(error instanceof CommandError)) throw error;
      errors.push({ index, code: error.code, errmsg: error.message, ...error.details });
      if (ordered) break;
    }
  }
  return errors;
}

function withErrors(reply: StoredDocument, errors: WriteError[]): StoredDocument {
  return errors.length > 0 ? { ...reply, writeErrors: errors } : reply;
}

function arrayArgument(context: CommandContext, name: string): StoredDocument[] {
  const value = context.command[name];
  if (!Array.isArray(value) || !value.every(isPlainObject)) throw badValue(`'${name}' must be an array of documents`);
  return value as StoredDocument[];
}

const insert: CommandHandler = (context) => {
  const documents = arrayArgument(context, 'documents');
  const collection = writeCollection(context);
  let inserted = 0;
  const errors = runBatch(context, documents, (document) => {
    insertChecked(context, collection, withId(document));
    inserted += 1;
  });
  return withErrors({ n: inserted }, errors);
};

/** The document with an `_id` first: the given one, or a new ObjectId. */
export function withId(document: StoredDocument): StoredDocument {
  if (Array.isArray(document['_id'])) throw badValue('can\'t use an array for _id');
  if (document['_id'] === undefined) return { _id: new ObjectId(), ...document };
  if (Object.keys(document)[0] === '_id') return document;
  const { _id: id, ...rest } = document;
  return { _id: id, ...rest };
}

const update: CommandHandler = (context) => {
  const statements = arrayArgument(context, 'updates');
  const collection = writeCollection(context);
  let matched = 0;
  let modified = 0;
  const upserted: StoredDocument[] = [];
  const errors = runBatch(context, statements, (statement, index) => {
    const result = updateStatement(context, collection, statement);
    matched += result.matched;
    modified += result.modified;
    if (result.upsertedId !== undefined) upserted.push({ index, _id: result.upsertedId });
  });
  const reply: StoredDocument = { n: matched + upserted.length, nModified: modified };
  if (upserted.length > 0) reply['upserted'] = upserted;
  return withErrors(reply, errors);
};

interface StatementResult {
  matched: number;
  modified: number;
  upsertedId?: unknown;
}

function updateStatement(context: CommandContext, collection: Collection, statement: StoredDocument): StatementResult {
  const filter = (statement['q'] ?? {}) as StoredDocument;
  const change = statement['u'];
  if (!isPlainObject(change) && !Array.isArray(change)) throw badValue("update statement needs 'u'");
  const { collation, hint } = queryOptionsOf(statement, collection);
  const compiled = compileUpdate(change, { arrayFilters: statement['arrayFilters'], collation });
  const multi = statement['multi'] === true;
  if (multi && compiled.kind === 'replacement') throw new CommandError(9, 'FailedToParse', 'multi update is not supported for replacement-style update');
  const targets = findDocuments(collection, filter, { limit: multi ? 0 : 1, collation, hint });
  if (targets.length === 0 && statement['upsert'] === true) {
    const document = buildUpsertDocument(filter, compiled, change);
    insertChecked(context, collection, document);
    return { matched: 0, modified: 0, upsertedId: document['_id'] };
  }
  let modified = 0;
  for (const target of targets) {
    const result = compiled.apply(target, { filter });
    if (!result.changed) continue;
    replaceChecked(context, collection, result.document, target);
    modified += 1;
  }
  return { matched: targets.length, modified };
}

const remove: CommandHandler = (context) => {
  const statements = arrayArgument(context, 'deletes');
  const collection = readCollection(context);
  let deleted = 0;
  const errors = runBatch(context, statements, (statement) => {
    const limit = Number(statement['limit'] ?? 0);
    const { collation, hint } = queryOptionsOf(statement, collection);
    for (const document of findDocuments(collection, statement['q'] as StoredDocument | undefined, { limit: limit === 1 ? 1 : 0, collation, hint })) {
      if (collection?.remove(canonicalKey(document['_id']))) deleted += 1;
    }
  });
  return withErrors({ n: deleted }, errors);
};

/** The write commands `insert`, `update` and `delete`. */
export const writeCommands: Record<string, CommandHandler> = { insert, update, delete: remove };
