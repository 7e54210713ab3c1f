import { evalExpr } from 'mingo/core';
import type { AnyObject } from 'mingo/types';
import { cloneDocument, isPlainObject, setField, type StoredDocument } from '../bson-values.js';
import { badValue, CommandError, notSupported } from '../command-error.js';
import { integerValue, isNumeric, numericValue } from './bson-numbers.js';
import type { Collation } from './collation.js';
import { compileMatch } from './filter/compile-match.js';
import { compileOperators, isOperatorExpression } from './filter/compile-operators.js';
import { mingoOptions } from './mingo-options.js';
import { toMingoValue } from './mingo-values.js';
import { findPositionalIndex } from './update/array-positions.js';

/** What a projection does at one path. */
type FieldRule =
  | { kind: 'include' }
  | { kind: 'exclude' }
  | { kind: 'slice'; skip: number | undefined; limit: number }
  | { kind: 'elemMatch'; matches: (element: unknown) => boolean }
  | { kind: 'positional' }
  | { kind: 'computed'; expression: unknown }
  | { kind: 'textScore' };

interface Projection {
  inclusive: boolean;
  keepId: boolean;
  rules: Map<string, FieldRule>;
}

/**
 * Applies a `find` projection as MongoDB does: inclusion keeps `_id` and the named fields in the document's own
 * order (through arrays of documents), exclusion drops the named fields, `$slice` alone keeps everything else,
 * `$elemMatch` and the positional `$` keep one matching element, and other values are aggregation expressions.
 * Absent or empty returns the input.
 */
export function projectDocuments(
  documents: StoredDocument[],
  specification: StoredDocument | undefined,
  filter?: StoredDocument,
  collation?: Collation,
  textScores?: ReadonlyMap<StoredDocument, number>,
): StoredDocument[] {
  if (!specification || Object.keys(specification).length === 0) return documents;
  const projection = parseProjection(specification, collation, textScores !== undefined);
  const projected = documents.map((document) => projectDocument(document, projection, filter ?? {}, collation));
  // `{ $meta: 'textScore' }` fields come last, with the score of the document they were projected from.
  for (const [path, rule] of projection.rules) {
    if (rule.kind !== 'textScore') continue;
    projected.forEach((result, position) => setComputed(result, path.split('.'), textScores?.get(documents[position] as StoredDocument) ?? 0));
  }
  return projected;
}

function parseProjection(specification: StoredDocument, collation: Collation | undefined, hasTextScores = false): Projection {
  const rules = new Map<string, FieldRule>();
  flatten(specification, '', rules, collation, hasTextScores);
  let inclusive: boolean | undefined;
  let keepId = true;
  for (const [path, rule] of rules) {
    if (path === '_id' && (rule.kind === 'include' || rule.kind === 'exclude')) {
      keepId = rule.kind === 'include';
      continue;
    }
    const mode = rule.kind === 'exclude' ? false : rule.kind === 'slice' || rule.kind === 'textScore' ? undefined : true;
    if (mode === undefined) continue;
    if (inclusive !== undefined && inclusive !== mode) {
      throw mode
        ? new CommandError(31253, 'Location31253', `Cannot do inclusion on field ${path} in exclusion projection`)
        : new CommandError(31254, 'Location31254', `Cannot do exclusion on field ${path} in inclusion projection`);
    }
    inclusive = mode;
  }
  assertNoCollisions([...rules.keys()]);
  if ([...rules.values()].filter((rule) => rule.kind === 'positional').length > 1) {
    throw new CommandError(31276, 'Location31276', 'Cannot specify more than one positional projection per query.');
  }
  // `{ _id: 1 }` alone is an inclusion; `{ _id: 0 }` alone and `$slice` alone are exclusions.
  const onlyId = rules.size === 1 && rules.has('_id');
  return { inclusive: inclusive ?? (onlyId && keepId), keepId, rules };
}

function flatten(specification: Record<string, unknown>, prefix: string, rules: Map<string, FieldRule>, collation: Collation | undefined, hasTextScores: boolean): void {
  for (const [key, value] of Object.entries(specification)) {
    if (key.startsWith('$') && prefix === '') throw badValue(`FieldPath field names may not start with '$'. Consider using $getField or $setField.`);
    const path = prefix ? `${prefix}.${key}` : key;
    if (path.endsWith('.$')) {
      if (!isTruthyFlag(value)) throw badValue(`positional projection cannot be used with exclusion or a computed value: ${path}`);
      rules.set(path.slice(0, -2), { kind: 'positional' });
    } else if (isPlainObject(value) && Object.keys(value).length > 0 && !Object.keys(value)[0]?.startsWith('$')) {
      flatten(value, path, rules, collation, hasTextScores);
    } else if (hasTextScores && isPlainObject(value) && value['$meta'] === 'textScore' && Object.keys(value).length === 1) {
      rules.set(path, { kind: 'textScore' });
    } else {
      rules.set(path, parseRule(path, value, collation));
    }
  }
}

function parseRule(path: string, value: unknown, collation: Collation | undefined): FieldRule {
  if (typeof value === 'boolean' || isNumeric(value)) return isTruthyFlag(value) ? { kind: 'include' } : { kind: 'exclude' };
  if (isPlainObject(value) && '$slice' in value && Object.keys(value).length === 1) return parseSlice(value['$slice']);
  if (isPlainObject(value) && '$elemMatch' in value && Object.keys(value).length === 1) {
    if (path.includes('.')) throw badValue('Cannot use $elemMatch projection on a nested field.');
    return { kind: 'elemMatch', matches: elemMatcher(value['$elemMatch'], collation) };
  }
  if (isPlainObject(value) && '$meta' in value) throw notSupported(`the $meta projection ('${String(value['$meta'])}')`);
  return { kind: 'computed', expression: value };
}

function isTruthyFlag(value: unknown): boolean {
  return value === true || (isNumeric(value) && numericValue(value) !== 0);
}

function parseSlice(argument: unknown): FieldRule {
  if (isNumeric(argument)) return { kind: 'slice', skip: undefined, limit: Number(integerValue(argument) ?? Math.trunc(numericValue(argument))) };
  if (Array.isArray(argument) && argument.length === 2 && argument.every(isNumeric)) {
    const limit = numericValue(argument[1]);
    if (limit <= 0) throw new CommandError(28724, 'Location28724', 'Second argument to $slice must be positive');
    return { kind: 'slice', skip: Math.trunc(numericValue(argument[0])), limit: Math.trunc(limit) };
  }
  throw new CommandError(28667, 'Location28667', 'Invalid $slice syntax. The given syntax did not match the find() syntax because :: Location31273: $slice only supports numbers and [skip, limit] arrays');
}

function elemMatcher(query: unknown, collation: Collation | undefined): (element: unknown) => boolean {
  if (!isPlainObject(query)) throw badValue('elemMatch: Invalid argument, object required.');
  if (isOperatorExpression(query) && !['$and', '$or', '$nor', '$expr'].includes(Object.keys(query)[0] as string)) {
    const test = compileOperators(query, { collation }, false);
    return (element) => test([element]);
  }
  const matches = compileMatch(query, { collation });
  return (element) => isPlainObject(element) && matches(element);
}

function assertNoCollisions(paths: string[]): void {
  for (const path of paths) {
    for (const other of paths) {
      if (other !== path && other.startsWith(`${path}.`)) {
        throw new CommandError(31249, 'Location31249', `Path collision at ${other} remaining portion ${other.slice(path.length + 1)}`);
      }
    }
  }
}

function projectDocument(document: StoredDocument, projection: Projection, filter: StoredDocument, collation: Collation | undefined): StoredDocument {
  const rules = new Map([...projection.rules].filter(([path]) => path !== '_id' || !isFlag(projection.rules.get('_id'))));
  const result = projection.inclusive ? include(document, rules, '') : exclude(document, rules, '');
  if (projection.inclusive && projection.keepId && document['_id'] !== undefined && !('_id' in result)) {
    return finishPositional({ _id: document['_id'], ...result }, document, projection, filter, collation);
  }
  if (!projection.keepId) delete result['_id'];
  return finishPositional(result, document, projection, filter, collation);
}

function isFlag(rule: FieldRule | undefined): boolean {
  return rule?.kind === 'include' || rule?.kind === 'exclude';
}

// Inclusion walks the document, so kept fields stay in its order; `$elemMatch` and computed fields come last.
function include(document: Record<string, unknown>, rules: Map<string, FieldRule>, prefix: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(document)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const rule = rules.get(path);
    if (rule?.kind === 'include' || rule?.kind === 'positional') setField(result, key, cloneDocument(value));
    else if (rule?.kind === 'slice') setField(result, key, slice(value, rule));
    else if (!rule && hasRulesBelow(rules, path)) {
      const projected = projectNested(value, (inner) => include(inner, rules, path));
      if (projected !== undefined) setField(result, key, projected);
    }
  }
  if (prefix === '') addLateFields(result, document, rules);
  return result;
}

function exclude(document: Record<string, unknown>, rules: Map<string, FieldRule>, prefix: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(document)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const rule = rules.get(path);
    if (rule?.kind === 'exclude') continue;
    if (rule?.kind === 'slice') setField(result, key, slice(value, rule));
    else if (hasRulesBelow(rules, path)) setField(result, key, projectNested(value, (inner) => exclude(inner, rules, path), true));
    else setField(result, key, cloneDocument(value));
  }
  if (prefix === '') addLateFields(result, document, rules);
  return result;
}

function hasRulesBelow(rules: Map<string, FieldRule>, path: string): boolean {
  for (const key of rules.keys()) if (key.startsWith(`${path}.`)) return true;
  return false;
}

// A sub-projection applies to an embedded document, and to each document of an array; other values are dropped by
// an inclusion (returned `undefined`) and kept by an exclusion.
function projectNested(value: unknown, project: (inner: Record<string, unknown>) => Record<string, unknown>, keepOthers = false): unknown {
  if (isPlainObject(value)) return project(value);
  if (Array.isArray(value)) {
    return value.flatMap((element) => {
      if (isPlainObject(element) || Array.isArray(element)) return [projectNested(element, project, keepOthers)];
      return keepOthers ? [cloneDocument(element)] : [];
    });
  }
  return keepOthers ? cloneDocument(value) : undefined;
}

function slice(value: unknown, rule: Extract<FieldRule, { kind: 'slice' }>): unknown {
  if (!Array.isArray(value)) return cloneDocument(value);
  if (rule.skip === undefined) {
    const sliced = rule.limit >= 0 ? value.slice(0, rule.limit) : value.slice(Math.max(0, value.length + rule.limit));
    return cloneDocument(sliced);
  }
  const start = rule.skip >= 0 ? rule.skip : Math.max(0, value.length + rule.skip);
  return cloneDocument(value.slice(start, start + rule.limit));
}

function addLateFields(result: Record<string, unknown>, document: Record<string, unknown>, rules: Map<string, FieldRule>): void {
  for (const [path, rule] of rules) {
    if (rule.kind === 'elemMatch') {
      const array = document[path];
      const found = Array.isArray(array) ? array.find((element) => rule.matches(element)) : undefined;
      delete result[path];
      if (found !== undefined) setField(result, path, [cloneDocument(found)]);
    } else if (rule.kind === 'computed') {
      const value = evalExpr(toMingoValue(document) as AnyObject, rule.expression, mingoOptions());
      setComputed(result, path.split('.'), value);
    }
  }
}

function setComputed(target: Record<string, unknown>, parts: string[], value: unknown): void {
  const [first, ...rest] = parts as [string, ...string[]];
  if (rest.length === 0) {
    if (value !== undefined) setField(target, first, value);
    return;
  }
  if (!isPlainObject(target[first])) setField(target, first, {});
  setComputed(target[first] as Record<string, unknown>, rest, value);
}

function finishPositional(result: StoredDocument, document: StoredDocument, projection: Projection, filter: StoredDocument, collation: Collation | undefined): StoredDocument {
  for (const [path, rule] of projection.rules) {
    if (rule.kind !== 'positional') continue;
    let index: number;
    try {
      index = findPositionalIndex(document, path, filter, collation);
    } catch {
      throw new CommandError(51246, 'Location51246', "Executor error during find command :: caused by :: positional operator '.$' couldn't find a matching element in the array");
    }
    const parts = path.split('.');
    let target: unknown = result;
    for (const part of parts.slice(0, -1)) target = isPlainObject(target) ? target[part] : undefined;
    const last = parts[parts.length - 1] as string;
    if (isPlainObject(target) && Array.isArray(target[last])) setField(target, last, [(target[last] as unknown[])[index]]);
  }
  return result;
}
