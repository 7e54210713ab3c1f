import { canonicalKey, isPlainObject, type StoredDocument } from '../bson-values.js';
import { badValue, CommandError, namespaceNotFound, notSupported } from '../command-error.js';
import type { Collection } from '../storage/collection.js';
import { assertSeconds, validateValidation } from './collection-options.js';
import { collectionNameOf, readCollection, type CommandHandler } from './command-context.js';

const COMMAND_FIELDS = new Set(['$db', 'lsid', 'txnNumber', '$clusterTime', '$readPreference', 'writeConcern', 'readConcern', 'comment', 'maxTimeMS', 'dryRun']);

/**
 * `collMod`: changes document validation, a collection's TTL (time-series or clustered), and an index's `hidden`
 * flag or `expireAfterSeconds`, replying with the old and new values as MongoDB does. Anything it cannot change is
 * refused rather than accepted and ignored.
 */
export const modifyCollection: CommandHandler = (context) => {
  const collection = readCollection(context);
  if (!collection) throw namespaceNotFound(`${context.database}.${collectionNameOf(context)}`);
  const changes = Object.fromEntries(Object.entries(context.command).slice(1).filter(([key]) => !COMMAND_FIELDS.has(key)));
  validateValidation(changes);
  const reply: StoredDocument = {};
  for (const [key, value] of Object.entries(changes)) {
    switch (key) {
      case 'validator':
      case 'validationLevel':
      case 'validationAction':
      case 'changeStreamPreAndPostImages':
        collection.options[key] = value;
        break;
      case 'expireAfterSeconds':
        changeCollectionTtl(collection, value);
        break;
      case 'index':
        Object.assign(reply, modifyIndex(collection, value));
        break;
      case 'viewOn':
      case 'pipeline':
        throw notSupported('views (collMod with viewOn)');
      default:
        throw new CommandError(40415, 'Location40415', `BSON field 'collMod.${key}' is an unknown field.`);
    }
  }
  collection.onChange?.('definition');
  return reply;
};

function changeCollectionTtl(collection: Collection, value: unknown): void {
  if (!collection.options['timeseries'] && !collection.options['clusteredIndex']) {
    throw new CommandError(72, 'InvalidOptions', "'expireAfterSeconds' is only supported on time-series collections or clustered collections");
  }
  if (value === 'off') delete collection.options['expireAfterSeconds'];
  else {
    assertSeconds(value);
    collection.options['expireAfterSeconds'] = value;
  }
}

function modifyIndex(collection: Collection, change: unknown): StoredDocument {
  if (!isPlainObject(change)) throw badValue("'index' must be an object");
  const { keyPattern, name, hidden, expireAfterSeconds, ...rest } = change;
  if (Object.keys(rest).length > 0) throw notSupported(`collMod of the index option(s) ${Object.keys(rest).join(', ')}`);
  const index = collection.indexes.find((candidate) =>
    name !== undefined ? candidate.name === name : keyPattern !== undefined && canonicalKey(candidate.specification.key) === canonicalKey(keyPattern),
  );
  if (!index) throw new CommandError(27, 'IndexNotFound', `cannot find index ${JSON.stringify(name ?? keyPattern)} for ns ${collection.namespace}`);
  const specification = index.specification;
  const reply: StoredDocument = {};
  if (hidden !== undefined) {
    if (typeof hidden !== 'boolean') throw badValue("'hidden' must be a boolean");
    if (index.name === '_id_' && hidden) throw badValue("can't hide _id index");
    reply['hidden_old'] = specification['hidden'] === true;
    reply['hidden_new'] = hidden;
    if (hidden) specification['hidden'] = true;
    else delete specification['hidden'];
  }
  if (expireAfterSeconds !== undefined) {
    if (specification.expireAfterSeconds === undefined) throw badValue('no expireAfterSeconds field to update');
    assertSeconds(expireAfterSeconds);
    reply['expireAfterSeconds_old'] = specification.expireAfterSeconds;
    reply['expireAfterSeconds_new'] = expireAfterSeconds;
    specification.expireAfterSeconds = expireAfterSeconds as number;
  }
  return reply;
}
