import type { StoredDocument } from '../bson-values.js';
import { badValue, CommandError, namespaceNotFound } from '../command-error.js';
import { compileFilter } from '../query/compile-filter.js';
import { Collection } from '../storage/collection.js';
import { EngineStore } from '../storage/engine-store.js';
import { modifyCollection } from './collection-modification.js';
import { parseCreateOptions } from './collection-options.js';
import { collectionNameOf, objectArgument, type CommandHandler } from './command-context.js';

const create: CommandHandler = (context) => {
  const name = collectionNameOf(context);
  const options = parseCreateOptions(context.command);
  const { created } = context.store.ensureCollection(context.database, name, options);
  if (!created) throw new CommandError(48, 'NamespaceExists', `Collection ${context.database}.${name} already exists.`);
  return {};
};

const drop: CommandHandler = (context) => {
  const name = collectionNameOf(context);
  const collection = context.store.collection(context.database, name);
  if (!collection) throw namespaceNotFound(`${context.database}.${name}`);
  const indexCount = collection.indexes.length;
  context.store.dropCollection(context.database, name);
  return { nIndexesWas: indexCount, ns: `${context.database}.${name}` };
};

const dropDatabase: CommandHandler = (context) => {
  context.store.dropDatabase(context.database);
  return { dropped: context.database };
};

// A time-series collection lists as its own type; it and a clustered collection have no separate `_id` index.
function describeCollection(collection: Collection): StoredDocument {
  const { options } = collection;
  const described: StoredDocument = { name: collection.name, type: options['timeseries'] ? 'timeseries' : 'collection', options, info: { readOnly: false } };
  if (!options['timeseries'] && !options['clusteredIndex']) {
    described['idIndex'] = { v: 2, key: { _id: 1 }, name: '_id_', ...(options['collation'] ? { collation: options['collation'] } : {}) };
  }
  return described;
}

const listCollections: CommandHandler = (context) => {
  const matches = compileFilter(objectArgument(context, 'filter'));
  const nameOnly = context.command['nameOnly'] === true;
  const described = context.store
    .collections(context.database)
    .map(describeCollection)
    .filter(matches)
    .map((entry) => (nameOnly ? { name: entry['name'], type: entry['type'] } : entry));
  const cursorOptions = objectArgument(context, 'cursor');
  return {
    cursor: context.engine.cursors.open(`${context.database}.$cmd.listCollections`, described, cursorOptions?.['batchSize']),
  };
};

const listDatabases: CommandHandler = (context) => {
  const matches = compileFilter(objectArgument(context, 'filter'));
  const databases = context.store
    .databases()
    .map((name) => {
      const documents = context.store.collections(name).reduce((total, collection) => total + collection.documents.size, 0);
      return { name, sizeOnDisk: documents * 100, empty: documents === 0 };
    })
    .filter(matches);
  if (context.command['nameOnly'] === true) return { databases: databases.map(({ name }) => ({ name })) };
  return { databases, totalSize: databases.reduce((total, database) => total + database.sizeOnDisk, 0) };
};

// `renameCollection` runs on admin with full namespaces: { renameCollection: 'db.from', to: 'db.to', dropTarget }.
const renameCollection: CommandHandler = (context) => {
  const from = splitNamespace(context.command['renameCollection']);
  const to = splitNamespace(context.command['to']);
  const store = context.store;
  if (!(store instanceof EngineStore)) throw new CommandError(263, 'OperationNotSupportedInTransaction', 'renameCollection is not allowed in a transaction');
  const source = store.collection(from.database, from.name);
  if (!source) throw namespaceNotFound(`${from.database}.${from.name}`);
  if (store.collection(to.database, to.name)) {
    if (context.command['dropTarget'] !== true) throw new CommandError(48, 'NamespaceExists', 'target namespace exists');
    store.dropCollection(to.database, to.name);
  }
  const renamed = new Collection(to.database, to.name, source.options);
  for (const index of source.indexes.slice(1)) renamed.createIndex(index.specification);
  for (const document of source.documents.values()) renamed.insert(document);
  store.dropCollection(from.database, from.name);
  store.putCollection(renamed);
  return {};
};

function splitNamespace(value: unknown): { database: string; name: string } {
  if (typeof value !== 'string' || !value.includes('.')) throw badValue(`invalid namespace: ${String(value)}`);
  const dot = value.indexOf('.');
  return { database: value.slice(0, dot), name: value.slice(dot + 1) };
}

const dbStats: CommandHandler = (context) => {
  const collections = context.store.collections(context.database);
  const objects = collections.reduce((total, collection) => total + collection.documents.size, 0);
  const indexes = collections.reduce((total, collection) => total + collection.indexes.length, 0);
  return { db: context.database, collections: collections.length, views: 0, objects, indexes, dataSize: 0, storageSize: 0 };
};

/** Collection and database management: `create`, `drop`, `dropDatabase`, `listCollections`, `listDatabases`... */
export const collectionCommands: Record<string, CommandHandler> = {
  create,
  drop,
  dropDatabase,
  listCollections,
  listDatabases,
  renameCollection,
  dbStats,
  collMod: modifyCollection,
};
