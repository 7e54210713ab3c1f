import * as updateOperators from 'mingo/operators/update';
import type { AnyObject } from 'mingo/types';
import { isPlainObject, type StoredDocument } from '../bson-values.js';
import { CommandError } from '../command-error.js';
import { updateOptions, type ComputeOptions } from './mingo-options.js';

type UpdateOperator = (expression: AnyObject, arrayFilters: AnyObject[], options: ComputeOptions) => (document: AnyObject) => string[];

const OPERATORS = new Map<string, UpdateOperator>(Object.entries(updateOperators) as [string, UpdateOperator][]);

/**
 * Applies update operators (`$set`, `$inc`, `$push`...) to a document in place, with mingo's operators and one shared
 * context (mingo's `update()` rebuilds its whole operator context on every call). Returns whether anything changed.
 */
export function applyUpdateOperators(document: StoredDocument, operators: Record<string, unknown>, filter: StoredDocument, arrayFilters: StoredDocument[]): boolean {
  assertNoConflicts(operators);
  const options = updateOptions(filter, arrayFilters);
  const mutations = Object.entries(operators).map(([name, expression]) => {
    const operator = OPERATORS.get(name);
    if (!operator) {
      throw new CommandError(9, 'FailedToParse', `Unknown modifier: ${name}. Expected a valid update modifier or pipeline-style update specified as an array`);
    }
    if (!isPlainObject(expression)) throw new CommandError(9, 'FailedToParse', `Modifiers operate on fields but we found another type instead: ${name}`);
    return operator(expression, arrayFilters, options);
  });
  let changed = false;
  for (const mutate of mutations) if (mutate(document).length > 0) changed = true;
  return changed;
}

// Each mingo operator checks its own paths; two operators on one path (`$set: { a }` with `$inc: { 'a.b' }`) are
// caught here, as MongoDB refuses them.
function assertNoConflicts(operators: Record<string, unknown>): void {
  const paths: string[] = [];
  for (const [name, fields] of Object.entries(operators)) {
    if (!isPlainObject(fields)) continue;
    paths.push(...Object.keys(fields));
    if (name === '$rename') paths.push(...Object.values(fields).filter((target): target is string => typeof target === 'string'));
  }
  for (const [index, path] of paths.entries()) {
    for (const other of paths.slice(index + 1)) {
      if (path === other || other.startsWith(`${path}.`) || path.startsWith(`${other}.`)) {
        throw new CommandError(40, 'ConflictingUpdateOperators', `Updating the path '${other}' would create a conflict at '${path}'`);
      }
    }
  }
}
