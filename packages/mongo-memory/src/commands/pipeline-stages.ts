import { isPlainObject, type StoredDocument } from '../bson-values.js';
import { CommandError, notSupported } from '../command-error.js';

// Stages mingo runs (with the engine's own `$match` and `$sort`); `$out` is the engine's.
const SUPPORTED = new Set([
  '$addFields', '$bucket', '$bucketAuto', '$count', '$densify', '$documents', '$facet', '$fill', '$graphLookup', '$group',
  '$limit', '$lookup', '$match', '$out', '$project', '$redact', '$replaceRoot', '$replaceWith', '$sample', '$set',
  '$setWindowFields', '$skip', '$sort', '$sortByCount', '$unionWith', '$unset', '$unwind',
]);

// Stages of MongoDB that the engine does not have: refused as not implemented rather than unknown.
const DECLINED: Record<string, string> = {
  $geoNear: 'the $geoNear stage (geospatial queries)',
  $search: 'the $search stage (Atlas Search)',
  $searchMeta: 'the $searchMeta stage (Atlas Search)',
  $vectorSearch: 'the $vectorSearch stage (Atlas Vector Search)',
  $listSearchIndexes: 'the $listSearchIndexes stage (Atlas Search)',
  $changeStream: 'change streams ($changeStream)',
  $changeStreamSplitLargeEvent: 'change streams ($changeStreamSplitLargeEvent)',
  $merge: 'the $merge stage',
  $collStats: 'the $collStats stage',
  $indexStats: 'the $indexStats stage',
  $currentOp: 'the $currentOp stage',
  $listLocalSessions: 'the $listLocalSessions stage',
  $listSessions: 'the $listSessions stage',
  $planCacheStats: 'the $planCacheStats stage',
  $listSampledQueries: 'the $listSampledQueries stage',
  $querySettings: 'the $querySettings stage',
  $shardedDataDistribution: 'the $shardedDataDistribution stage',
};

/** Checks a pipeline's shape and stage names as MongoDB does before running anything. */
export function validatePipeline(value: unknown): StoredDocument[] {
  if (!Array.isArray(value)) throw new CommandError(14, 'TypeMismatch', "'pipeline' option must be specified as an array");
  for (const stage of value) validateStage(stage);
  return value as StoredDocument[];
}

function validateStage(stage: unknown): void {
  if (!isPlainObject(stage)) throw new CommandError(14, 'TypeMismatch', 'Each element of the \'pipeline\' array must be an object');
  const names = Object.keys(stage);
  if (names.length !== 1) throw new CommandError(40323, 'Location40323', 'A pipeline stage specification object must contain exactly one field.');
  const [name] = names as [string];
  const declined = DECLINED[name];
  if (declined) throw notSupported(declined);
  if (!SUPPORTED.has(name)) throw new CommandError(40324, 'Location40324', `Unrecognized pipeline stage name: '${name}'`);
  for (const nested of nestedPipelines(name, stage[name])) validatePipeline(nested);
}

function nestedPipelines(name: string, argument: unknown): unknown[] {
  if (name === '$facet' && isPlainObject(argument)) return Object.values(argument);
  if ((name === '$lookup' || name === '$unionWith') && isPlainObject(argument) && argument['pipeline'] !== undefined) return [argument['pipeline']];
  return [];
}

// Stages and expression operators whose result depends on how strings compare.
const COLLATION_SENSITIVE_STAGES = new Set(['$group', '$bucket', '$bucketAuto', '$sortByCount', '$setWindowFields', '$graphLookup', '$lookup', '$unionWith', '$densify', '$fill', '$redact']);
const COLLATION_SENSITIVE_OPERATORS = new Set([
  '$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$cmp', '$in', '$indexOfArray', '$setEquals', '$setIntersection', '$setUnion',
  '$setDifference', '$setIsSubset', '$max', '$min', '$sortArray', '$expr', '$maxN', '$minN', '$top', '$topN', '$bottom', '$bottomN',
]);

/**
 * Under a non-simple collation the engine's `$match` and `$sort` follow it, but mingo's grouping and comparison
 * expressions would compare strings by code unit: such a pipeline is refused instead of answered differently.
 */
export function assertCollationSafe(pipeline: StoredDocument[]): void {
  for (const stage of pipeline) {
    const [name] = Object.keys(stage) as [string];
    if (COLLATION_SENSITIVE_STAGES.has(name) && !(name === '$group' && isConstantGroup(stage[name]))) {
      throw notSupported(`the ${name} stage with a collation`);
    }
    if (name === '$facet' && isPlainObject(stage[name])) {
      for (const nested of Object.values(stage[name])) if (Array.isArray(nested)) assertCollationSafe(nested as StoredDocument[]);
    }
    const operator = findOperator(stage[name], name === '$match');
    if (operator) throw notSupported(`the ${operator} operator in ${name} with a collation`);
  }
}

// A `$group` on a constant key whose accumulators never compare values (`countDocuments` sends one) gives the same
// result under any collation.
const ORDER_FREE_ACCUMULATORS = new Set(['$sum', '$avg', '$count', '$first', '$last', '$push', '$stdDevPop', '$stdDevSamp', '$mergeObjects']);

function isConstantGroup(specification: unknown): boolean {
  if (!isPlainObject(specification)) return false;
  const key = specification['_id'];
  if (typeof key === 'string' || isPlainObject(key) || Array.isArray(key)) return false;
  return Object.entries(specification).every(([field, accumulator]) => {
    if (field === '_id') return true;
    if (!isPlainObject(accumulator)) return false;
    const [operator] = Object.keys(accumulator);
    return operator !== undefined && ORDER_FREE_ACCUMULATORS.has(operator) && !findOperator(accumulator[operator], false);
  });
}

// In `$match` the query operators ($eq, $in...) follow the collation; only `$expr` does not.
function findOperator(value: unknown, inMatch: boolean): string | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findOperator(item, inMatch);
      if (found) return found;
    }
    return undefined;
  }
  if (!isPlainObject(value)) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    if (inMatch ? key === '$expr' : COLLATION_SENSITIVE_OPERATORS.has(key)) return key;
    const found = findOperator(inner, inMatch);
    if (found) return found;
  }
  return undefined;
}
