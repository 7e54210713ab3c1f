import { isPlainObject, type StoredDocument } from '../bson-values.js';
import { badValue, CommandError } from '../command-error.js';
import { planIndexScan, type FieldBounds } from '../query/plan-index-scan.js';
import type { Collection } from '../storage/collection.js';
import { isLookupValue, type CollectionIndex } from '../storage/collection-index.js';
import { queryOptionsOf, type CommandContext, type CommandHandler } from './command-context.js';

const EXPLAINABLE = new Set(['find', 'aggregate', 'count', 'distinct', 'update', 'delete', 'findAndModify', 'findandmodify']);
const READS = new Set(['find', 'aggregate', 'count', 'distinct']);
const VERBOSITIES = new Set(['queryPlanner', 'executionStats', 'allPlansExecution']);

/**
 * `explain` of a read or write command: the plan the engine follows (an `_id` lookup or a collection scan, the
 * filter it tests), and with `executionStats` verbosity what running a read returned. Writes are never run.
 */
export function createExplain(run: (context: CommandContext, command: StoredDocument) => StoredDocument): CommandHandler {
  return (context) => {
    const inner = context.command['explain'];
    if (!isPlainObject(inner) || Object.keys(inner).length === 0) throw badValue('explain command requires a nested object');
    const verbosity = context.command['verbosity'] ?? 'allPlansExecution';
    if (typeof verbosity !== 'string' || !VERBOSITIES.has(verbosity)) throw badValue(`verbosity string must be one of {'queryPlanner', 'executionStats', 'allPlansExecution'}`);
    const name = Object.keys(inner)[0] as string;
    if (!EXPLAINABLE.has(name)) throw new CommandError(59, 'CommandNotFound', `Explain failed due to unknown command: ${name}`);
    const command = { ...inner, $db: context.database };
    const reply: StoredDocument = { explainVersion: '1', queryPlanner: queryPlanner(context, name, inner) };
    if (name === 'aggregate' && Array.isArray(inner['pipeline'])) reply['stages'] = describeStages(inner['pipeline']);
    if (verbosity !== 'queryPlanner' && READS.has(name)) reply['executionStats'] = executionStats((explained) => run(context, explained), command, name);
    return { ...reply, command: inner, serverInfo: { host: '127.0.0.1', version: '7.0.0', gitVersion: 'ai-chat-mongo-memory' } };
  };
}

/** The `queryPlanner` section of an explain (also the answer to `aggregate` with `explain: true`). */
export function queryPlanner(context: CommandContext, name: string, command: StoredDocument): StoredDocument {
  const filter = filterOf(name, command);
  const collection = typeof command[name] === 'string' ? context.store.collection(context.database, command[name]) : undefined;
  return {
    namespace: `${context.database}.${String(command[name])}`,
    indexFilterSet: false,
    parsedQuery: filter,
    winningPlan: describePlan(collection, filter, name, command),
    rejectedPlans: [],
  };
}

function filterOf(name: string, command: StoredDocument): StoredDocument {
  const candidate =
    name === 'find' ? command['filter'] : name === 'count' || name === 'distinct' || name.toLowerCase() === 'findandmodify' ? command['query'] : undefined;
  if (isPlainObject(candidate)) return candidate;
  if (name === 'aggregate' && Array.isArray(command['pipeline'])) {
    const first = command['pipeline'][0] as StoredDocument | undefined;
    if (first && isPlainObject(first['$match'])) return first['$match'];
  }
  const statements = command['updates'] ?? command['deletes'];
  if (Array.isArray(statements) && isPlainObject(statements[0]) && isPlainObject(statements[0]['q'])) return statements[0]['q'];
  return {};
}

/**
 * The plan the engine follows, in the shape of MongoDB's classic plans: `IDHACK` for an `_id` lookup; an index
 * that gives the sort walked in order (`LIMIT` over `FETCH` over `IXSCAN`, no `SORT`); otherwise the documents an
 * index narrows the filter to (`FETCH` over `IXSCAN`) or a `COLLSCAN`, under a blocking `SORT` when there is a sort.
 */
function describePlan(collection: Collection | undefined, filter: StoredDocument, name: string, command: StoredDocument): StoredDocument {
  if (Object.keys(filter).length === 1 && isLookupValue(filter['_id'])) return { stage: 'IDHACK' };
  const sort = isPlainObject(command['sort']) && Object.keys(command['sort']).length > 0 ? command['sort'] : undefined;
  const isFind = name === 'find';
  const limit = isFind ? Math.abs(Number(command['limit'] ?? 0)) : name.toLowerCase() === 'findandmodify' ? 1 : 0;
  const skip = isFind ? Math.max(0, Number(command['skip'] ?? 0)) : 0;
  const { collation, hint } = queryOptionsOf(command, collection);
  const scan = collection && sort && !collation && !hint ? planIndexScan(collection, filter, sort) : undefined;
  let plan: StoredDocument;
  if (scan) {
    plan = fetch(filter, indexScan(scan.index, scan.direction, scan.bounds, scan.equalities));
  } else {
    const lookup = collection && !collation ? collection.lookupIndex(filter) : undefined;
    plan = lookup ? fetch(filter, indexScan(lookup, 1, {}, 1)) : { stage: 'COLLSCAN', filter, direction: 'forward' };
    if (sort) plan = { stage: 'SORT', sortPattern: sort, memLimit: 104_857_600, ...(limit > 0 ? { limitAmount: limit + skip } : {}), type: 'simple', inputStage: plan };
  }
  if (skip > 0) plan = { stage: 'SKIP', skipAmount: skip, inputStage: plan };
  if (limit > 0 && (scan || !sort)) plan = { stage: 'LIMIT', limitAmount: limit, inputStage: plan };
  return plan;
}

function fetch(filter: StoredDocument, inputStage: StoredDocument): StoredDocument {
  return { stage: 'FETCH', ...(Object.keys(filter).length > 0 ? { filter } : {}), inputStage };
}

function indexScan(index: CollectionIndex, direction: 1 | -1, bounds: FieldBounds, equalities: number): StoredDocument {
  const ranged = index.fields[equalities];
  const describe = (side: FieldBounds['lower'], open: string) => (side ? `${side.inclusive ? '' : '('}${JSON.stringify(side.value)}` : open);
  return {
    stage: 'IXSCAN',
    keyPattern: index.specification.key,
    indexName: index.name,
    isUnique: index.isUnique,
    direction: direction === 1 ? 'forward' : 'backward',
    ...(ranged && (bounds.lower || bounds.upper) ? { indexBounds: { [ranged]: [`[${describe(bounds.lower, 'MinKey')}, ${describe(bounds.upper, 'MaxKey')}]`] } } : {}),
  };
}

function describeStages(pipeline: unknown[]): StoredDocument[] {
  return pipeline.filter(isPlainObject).map((stage) => ({ ...stage }));
}

function executionStats(run: (command: StoredDocument) => StoredDocument, command: StoredDocument, name: string): StoredDocument {
  const started = Date.now();
  // One batch holds everything, so that no cursor is left open by an explain.
  const whole = name === 'find' ? { ...command, singleBatch: true, batchSize: 2 ** 31 - 1 } : name === 'aggregate' ? { ...command, cursor: { batchSize: 2 ** 31 - 1 } } : command;
  const reply = run(whole);
  if (reply['ok'] !== 1) throw new CommandError(Number(reply['code'] ?? 8), String(reply['codeName'] ?? 'UnknownError'), String(reply['errmsg'] ?? 'explain failed'));
  const cursor = reply['cursor'] as { firstBatch?: unknown[] } | undefined;
  const returned = name === 'count' ? Number(reply['n']) : name === 'distinct' ? (reply['values'] as unknown[]).length : (cursor?.firstBatch?.length ?? 0);
  return { executionSuccess: true, nReturned: returned, executionTimeMillis: Date.now() - started };
}
