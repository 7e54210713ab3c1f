import { isPlainObject, type StoredDocument } from '../bson-values.js';
import { badValue, CommandError, namespaceNotFound } from '../command-error.js';
import { parseCollation } from '../query/collation.js';
import { assertCollatedIndexUnique } from './document-rules.js';
import type { IndexSpecification } from '../storage/collection-index.js';
import { collectionNameOf, objectArgument, readCollection, type CommandHandler } from './command-context.js';

const INDEX_OPTIONS = new Set([
  'unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds', 'hidden', 'collation', 'background', 'ns', 'weights',
  'default_language', 'language_override', 'textIndexVersion', '2dsphereIndexVersion', 'bits', 'min', 'max', 'bucketSize',
  'wildcardProjection', 'storageEngine', 'prepareUnique', 'dropDups',
]);

// An index without a collation of its own takes the collection's, as in MongoDB; `simple` means none.
function withCollation(specification: IndexSpecification, collectionCollation: unknown): IndexSpecification {
  const { collation, ...rest } = specification;
  const parsed = parseCollation(collation ?? collectionCollation);
  return parsed ? { ...rest, collation: parsed.specification } : rest;
}

const createIndexes: CommandHandler = (context) => {
  const requested = context.command['indexes'];
  if (!Array.isArray(requested) || requested.length === 0) throw badValue("'indexes' must be a non-empty array");
  const { collection, created } = context.store.ensureCollection(context.database, collectionNameOf(context));
  const specifications = requested.map((value) => withCollation(parseIndex(value), collection.options['collation']));
  const before = collection.indexes.length;
  const outcomes = specifications.map((specification) => {
    const outcome = collection.createIndex(specification);
    if (outcome === 'created') assertCollatedIndexUnique(collection, specification.name);
    return outcome;
  });
  const reply: StoredDocument = {
    numIndexesBefore: before,
    numIndexesAfter: collection.indexes.length,
    createdCollectionAutomatically: created,
  };
  if (outcomes.every((outcome) => outcome === 'existing')) reply['note'] = 'all indexes already exist';
  return reply;
};

function parseIndex(value: unknown): IndexSpecification {
  if (!isPlainObject(value) || !isPlainObject(value['key']) || Object.keys(value['key']).length === 0) {
    throw badValue('an index needs a non-empty key document');
  }
  const key = value['key'];
  const name = typeof value['name'] === 'string' ? value['name'] : Object.entries(key).map(([field, kind]) => `${field}_${String(kind)}`).join('_');
  const { v: _version, key: _key, name: _name, ...options } = value;
  for (const option of Object.keys(options)) {
    if (!INDEX_OPTIONS.has(option)) {
      throw new CommandError(197, 'InvalidIndexSpecificationOption', `The field '${option}' is not valid for an index specification. Specification: ${JSON.stringify(value)}`);
    }
  }
  return { v: 2, key, name, ...options } as IndexSpecification;
}

const listIndexes: CommandHandler = (context) => {
  const collection = readCollection(context);
  const namespace = `${context.database}.${collectionNameOf(context)}`;
  if (!collection) throw namespaceNotFound(namespace);
  const specifications = collection.indexes.map((index) => ({ ...index.specification }));
  const cursorOptions = objectArgument(context, 'cursor');
  return { cursor: context.engine.cursors.open(namespace, specifications, cursorOptions?.['batchSize']) };
};

const dropIndexes: CommandHandler = (context) => {
  const collection = readCollection(context);
  if (!collection) throw namespaceNotFound(`${context.database}.${collectionNameOf(context)}`);
  const before = collection.indexes.length;
  for (const name of indexNamesToDrop(context.command['index'], collection.indexes.map((index) => index.specification))) {
    collection.dropIndex(name);
  }
  return { nIndexesWas: before };
};

function indexNamesToDrop(selector: unknown, specifications: IndexSpecification[]): string[] {
  if (selector === '*') return specifications.map((specification) => specification.name).filter((name) => name !== '_id_');
  if (typeof selector === 'string') return [selector];
  if (Array.isArray(selector)) return selector.map(String);
  if (isPlainObject(selector)) {
    const wanted = JSON.stringify(selector);
    const match = specifications.find((specification) => JSON.stringify(specification.key) === wanted);
    return [match?.name ?? JSON.stringify(selector)];
  }
  throw badValue("'index' must be a name, a key document, an array of names or '*'");
}

/** Index management: `createIndexes`, `listIndexes`, `dropIndexes` (and its old name `deleteIndexes`). */
export const indexCommands: Record<string, CommandHandler> = { createIndexes, listIndexes, dropIndexes, deleteIndexes: dropIndexes };
