import { ObjectId } from 'bson';
import { Aggregator } from 'mingo/aggregator';
import type { AnyObject } from 'mingo/types';
import { cloneDocument, isPlainObject, type StoredDocument } from '../bson-values.js';
import { badValue, CommandError } from '../command-error.js';
import { findDocuments } from '../query/find-documents.js';
import { mingoOptions } from '../query/mingo-options.js';
import { Collection } from '../storage/collection.js';
import { EngineStore } from '../storage/engine-store.js';
import { collectionNameOf, objectArgument, type CommandContext, type CommandHandler } from './command-context.js';
import { namespaceOf } from './find-commands.js';

/**
 * `aggregate` on a collection with mingo's pipeline stages. A leading `$match` runs first through the engine's
 * own lookup, and only its matches are copied into the pipeline, so no stage can change stored documents; `$lookup`
 * reads copies too. `$out` as the last stage replaces the target collection (keeping its indexes).
 */
export const aggregate: CommandHandler = (context) => {
  if (typeof context.command['aggregate'] !== 'string') {
    throw new CommandError(59, 'CommandNotFound', 'aggregate: 1 (database-level pipelines) is not supported');
  }
  if (context.command['explain'] === true) throw new CommandError(59, 'CommandNotFound', 'explain is not supported');
  const pipeline = parsePipeline(context.command['pipeline']);
  const outTarget = takeOutStage(pipeline);
  const [first] = pipeline;
  const leadingMatch = first && isPlainObject(first['$match']) ? (first['$match'] as StoredDocument) : undefined;
  const source = findDocuments(context.store.collection(context.database, collectionNameOf(context)), leadingMatch);
  const stages = leadingMatch ? pipeline.slice(1) : pipeline;
  const results = runPipeline(context, source.map(cloneDocument), stages);
  if (outTarget !== undefined) {
    writeOut(context, outTarget, results);
    return { cursor: context.engine.cursors.open(namespaceOf(context), []) };
  }
  const cursorOptions = objectArgument(context, 'cursor');
  return { cursor: context.engine.cursors.open(namespaceOf(context), results, cursorOptions?.['batchSize']) };
};

function parsePipeline(value: unknown): StoredDocument[] {
  if (!Array.isArray(value) || !value.every(isPlainObject)) throw badValue("'pipeline' must be an array of stages");
  for (const stage of value) {
    if ('$merge' in stage) throw new CommandError(59, 'CommandNotFound', '$merge is not supported by @ai-chat/mongo-memory');
  }
  return value as StoredDocument[];
}

function takeOutStage(pipeline: StoredDocument[]): string | undefined {
  const last = pipeline[pipeline.length - 1];
  if (!last || !('$out' in last)) return undefined;
  pipeline.pop();
  const target = last['$out'];
  if (typeof target === 'string') return target;
  if (isPlainObject(target) && typeof target['coll'] === 'string') return target['coll'];
  throw badValue('$out needs a collection name');
}

function runPipeline(context: CommandContext, documents: StoredDocument[], stages: StoredDocument[]): StoredDocument[] {
  if (stages.length === 0) return documents;
  const resolve = (name: string): AnyObject[] => findDocuments(context.store.collection(context.database, name), undefined).map(cloneDocument);
  try {
    return new Aggregator(stages as AnyObject[], mingoOptions(resolve)).run(documents);
  } catch (error) {
    if (error instanceof CommandError) throw error;
    throw badValue(error instanceof Error ? error.message : String(error));
  }
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
