import { ObjectId } from 'bson';
import { Aggregator } from 'mingo/aggregator';
import type { AnyObject } from 'mingo/types';
import { canonicalKey, isPlainObject, type StoredDocument } from '../bson-values.js';
import { badValue, CommandError, notSupported } from '../command-error.js';
import { isNumeric, numericValue } from '../query/bson-numbers.js';
import type { Collation } from '../query/collation.js';
import { findDocuments } from '../query/find-documents.js';
import { mingoOptions } from '../query/mingo-options.js';
import { restoreNumberTypes, toMingoValue } from '../query/mingo-values.js';
import { Collection } from '../storage/collection.js';
import { EngineStore } from '../storage/engine-store.js';
import { objectArgument, queryOptionsOf, type CommandContext, type CommandHandler } from './command-context.js';
import { queryPlanner } from './explain-command.js';
import { assertCollationSafe, validatePipeline } from './pipeline-stages.js';

/**
 * `aggregate` on a collection (or on the database, `aggregate: 1`, from `$documents`) with mingo's pipeline stages.
 * A leading `$match` runs first through the engine's own lookup, and only its matches are copied into the pipeline,
 * so no stage can change stored documents; `$lookup` reads copies too. `$out` as the last stage replaces the target
 * collection (keeping its indexes). Stages the engine lacks are refused (NotImplemented), unknown ones as MongoDB
 * refuses them (40324).
 */
export const aggregate: CommandHandler = (context) => {
  const target = context.command['aggregate'];
  const isDatabaseLevel = isNumeric(target) && numericValue(target) === 1;
  if (!isDatabaseLevel && (typeof target !== 'string' || target.length === 0)) {
    throw badValue("Invalid 'aggregate' argument: it must be a collection name, or 1 for a database-level pipeline");
  }
  const pipeline = validatePipeline(context.command['pipeline']);
  if (context.command['explain'] === true) return { explainVersion: '1', queryPlanner: queryPlanner(context, 'aggregate', context.command), stages: pipeline };
  const collection = isDatabaseLevel ? undefined : context.store.collection(context.database, target as string);
  const { collation, hint } = queryOptionsOf(context.command, collection);
  if (collation) assertCollationSafe(pipeline);
  if (isDatabaseLevel && !(pipeline[0] && '$documents' in pipeline[0])) {
    throw notSupported(`a database-level aggregate that does not start with $documents (${Object.keys(pipeline[0] ?? {})[0] ?? 'empty'})`);
  }
  const outTarget = takeOutStage(pipeline);
  const [first] = pipeline;
  const leadingMatch = !isDatabaseLevel && first && isPlainObject(first['$match']) ? (first['$match'] as StoredDocument) : undefined;
  const source = isDatabaseLevel ? [] : findDocuments(collection, leadingMatch, { collation, hint });
  const stages = leadingMatch ? pipeline.slice(1) : pipeline;
  const results = restoreTypes(runPipeline(context, source, stages, collation), source);
  const namespace = `${context.database}.${isDatabaseLevel ? '$cmd.aggregate' : String(target)}`;
  if (outTarget !== undefined) {
    writeOut(context, outTarget, results);
    return { cursor: context.engine.cursors.open(namespace, []) };
  }
  const cursorOptions = objectArgument(context, 'cursor');
  return { cursor: context.engine.cursors.open(namespace, results, cursorOptions?.['batchSize']) };
};

function takeOutStage(pipeline: StoredDocument[]): string | undefined {
  const last = pipeline[pipeline.length - 1];
  if (!last || !('$out' in last)) return undefined;
  pipeline.pop();
  const target = last['$out'];
  if (typeof target === 'string') return target;
  if (isPlainObject(target) && typeof target['coll'] === 'string') return target['coll'];
  throw badValue('$out needs a collection name');
}

function runPipeline(context: CommandContext, documents: StoredDocument[], stages: StoredDocument[], collation: Collation | undefined): StoredDocument[] {
  const input = documents.map((document) => toMingoValue(document) as StoredDocument);
  if (stages.length === 0) return input;
  const resolve = (name: string): AnyObject[] =>
    findDocuments(context.store.collection(context.database, name), undefined).map((document) => toMingoValue(document) as AnyObject);
  try {
    return new Aggregator(stages as AnyObject[], mingoOptions(resolve, collation)).run(input);
  } catch (error) {
    if (error instanceof CommandError) throw error;
    throw badValue(error instanceof Error ? error.message : String(error));
  }
}

// A result that still holds a source document's values (matched, sorted, projected) gets their BSON number types back.
function restoreTypes(results: StoredDocument[], source: StoredDocument[]): StoredDocument[] {
  if (source.length === 0) return results;
  const byId = new Map(source.map((document) => [canonicalKey(document['_id']), document]));
  return results.map((result) => {
    const original = result['_id'] === undefined ? undefined : byId.get(canonicalKey(result['_id']));
    return original ? (restoreNumberTypes(result, original) as StoredDocument) : result;
  });
}

function writeOut(context: CommandContext, name: string, documents: StoredDocument[]): void {
  if (!(context.store instanceof EngineStore)) {
    throw new CommandError(263, 'OperationNotSupportedInTransaction', '$out is not allowed in a transaction');
  }
  const replacement = new Collection(context.database, name);
  const previous = context.store.collection(context.database, name);
  for (const index of previous?.indexes.slice(1) ?? []) replacement.createIndex(index.specification);
  for (const document of documents) {
    replacement.insert('_id' in document ? document : { _id: new ObjectId(), ...document });
  }
  context.store.putCollection(replacement);
}
