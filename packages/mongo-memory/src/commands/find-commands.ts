import { canonicalKey, type StoredDocument } from '../bson-values.js';
import { badValue, notSupported } from '../command-error.js';
import { valuesAtPath } from '../document-paths.js';
import { compareBson } from '../query/bson-order.js';
import { findDocuments } from '../query/find-documents.js';
import { projectDocuments } from '../query/project-documents.js';
import type { SortSpecification } from '../query/sort-documents.js';
import { collectionNameOf, objectArgument, queryOptionsOf, readCollection, type CommandContext, type CommandHandler } from './command-context.js';

// Options of `find` whose effect the engine does not have; ignoring them would return other documents or shapes.
const DECLINED_FIND_OPTIONS: [string, (value: unknown) => boolean][] = [
  ['min', (value) => value !== undefined],
  ['max', (value) => value !== undefined],
  ['returnKey', (value) => value === true],
  ['showRecordId', (value) => value === true],
  ['tailable', (value) => value === true],
  ['awaitData', (value) => value === true],
];

const find: CommandHandler = (context) => {
  const { command } = context;
  for (const [option, isUsed] of DECLINED_FIND_OPTIONS) if (isUsed(command[option])) throw notSupported(`the ${option} option of find`);
  const filter = objectArgument(context, 'filter');
  const limit = optionalNumber(command['limit']);
  const collection = readCollection(context);
  const { collation, hint } = queryOptionsOf(command, collection);
  const textScores = filter && '$text' in filter ? new Map<StoredDocument, number>() : undefined;
  const found = findDocuments(collection, filter, {
    textScores,
    sort: objectArgument(context, 'sort') as SortSpecification | undefined,
    skip: optionalNumber(command['skip']),
    limit,
    collation,
    hint,
  });
  const projected = projectDocuments(found, objectArgument(context, 'projection'), filter, collation, textScores);
  const singleBatch = command['singleBatch'] === true || (limit !== undefined && limit < 0);
  // Without a projection the documents are the stored ones, whose BSON the cursor may take from its cache.
  const kind = projected === found ? 'stored' : 'made';
  return { cursor: context.engine.cursors.open(namespaceOf(context), projected, command['batchSize'], singleBatch, kind) };
};

const count: CommandHandler = (context) => {
  const collection = readCollection(context);
  const found = findDocuments(collection, objectArgument(context, 'query'), {
    skip: optionalNumber(context.command['skip']),
    limit: optionalNumber(context.command['limit']),
    ...queryOptionsOf(context.command, collection),
  });
  return { n: found.length };
};

const distinct: CommandHandler = (context) => {
  const key = context.command['key'];
  if (typeof key !== 'string') throw badValue("'key' must be a string");
  const collection = readCollection(context);
  const options = queryOptionsOf(context.command, collection);
  const seen = new Map<string, unknown>();
  for (const document of findDocuments(collection, objectArgument(context, 'query'), options)) {
    for (const value of valuesAtPath(document, key).flatMap((item) => (Array.isArray(item) ? item : [item]))) {
      if (value !== undefined) seen.set(canonicalKey(value), value);
    }
  }
  const compare = options.collation?.compare;
  const sorted = [...seen.values()].sort((left, right) => compareBson(left, right, compare));
  // Under a collation, values it holds equal ('a' and 'A' at strength 2) are one distinct value.
  return { values: compare ? sorted.filter((value, index) => index === 0 || compareBson(sorted[index - 1], value, compare) !== 0) : sorted };
};

const getMore: CommandHandler = (context) => {
  const collection = context.command['collection'];
  if (typeof collection !== 'string') throw badValue("'collection' must be a string");
  const cursor = context.engine.cursors.more(context.command['getMore'], `${context.database}.${collection}`, context.command['batchSize']);
  return { cursor };
};

const killCursors: CommandHandler = (context) => {
  const ids = context.command['cursors'];
  if (!Array.isArray(ids)) throw badValue("'cursors' must be an array");
  const { killed, notFound } = context.engine.cursors.kill(ids);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [] };
};

/** `database.collection` of the command's collection. */
export function namespaceOf(context: CommandContext): string {
  return `${context.database}.${collectionNameOf(context)}`;
}

/** A numeric argument that may be absent. */
export function optionalNumber(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number)) throw badValue(`expected a number, got ${String(value)}`);
  return number;
}

/** Reading commands: `find`, `count`, `distinct`, and the cursor commands `getMore` and `killCursors`. */
export const findCommands: Record<string, CommandHandler> = { find, count, distinct, getMore, killCursors };
