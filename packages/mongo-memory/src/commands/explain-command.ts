import { isPlainObject, type StoredDocument } from '../bson-values.js';
import { badValue, CommandError } from '../command-error.js';
import { isLookupValue } from '../storage/collection-index.js';
import type { CommandContext, CommandHandler } from './command-context.js';

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
  return {
    namespace: `${context.database}.${String(command[name])}`,
    indexFilterSet: false,
    parsedQuery: filter,
    winningPlan: describePlan(filter),
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

function describePlan(filter: StoredDocument): StoredDocument {
  if (Object.keys(filter).length === 1 && isLookupValue(filter['_id'])) return { stage: 'IDHACK' };
  return { stage: 'COLLSCAN', filter, direction: 'forward' };
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
