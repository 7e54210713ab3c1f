import { isPlainObject, setField, type StoredDocument } from '../../bson-values.js';
import { badValue, CommandError } from '../../command-error.js';
import type { Collation } from '../collation.js';
import { isArrayIndex } from '../filter/values-at-path.js';
import { findPositionalIndex, positionalNotFound, type ElementFilter } from './array-positions.js';
import { renderValue } from './render-value.js';
import { REMOVE, UNCHANGED, type ModifierContext } from './update-modifiers.js';
import type { UpdateBranch, UpdateNode } from './update-tree.js';

/** Everything one application of an update tree to one document needs. */
export interface TreeApplication {
  /** The document before the update (the tree changes a copy). */
  original: StoredDocument;
  filter: Record<string, unknown>;
  arrayFilters: Map<string, ElementFilter>;
  isInsert: boolean;
  collation: Collation | undefined;
}

// MongoDB pads an array with nulls to reach an index it sets, up to this many elements.
const MAX_PADDING = 1_500_000;

/**
 * Applies an update tree to `document` (a copy, changed in place) the way MongoDB does: fields in lexicographic
 * order (numeric parts in numeric order), missing paths created as embedded documents, numeric parts as array
 * positions (padding with nulls), positional parts resolved per array. Returns whether anything changed.
 */
export function applyUpdateTree(root: UpdateBranch, document: StoredDocument, application: TreeApplication): boolean {
  const state = { application, modified: [] as string[] };
  applyBranch(root, document, [], state);
  return state.modified.length > 0;
}

interface State {
  application: TreeApplication;
  modified: string[];
}

type Container = Record<string, unknown> | unknown[];

function applyBranch(branch: UpdateBranch, container: Container, path: string[], state: State): void {
  for (const [key, node] of orderedTargets(branch, container, path, state)) applyAt(container, key, node, [...path, key], state);
}

// The (field or index, node) pairs of a branch in the order MongoDB applies them; positional parts become indexes.
function orderedTargets(branch: UpdateBranch, container: Container, path: string[], state: State): [string, UpdateNode][] {
  const targets: [string, UpdateNode][] = [];
  for (const [name, node] of branch.children) {
    if (!isPositional(name)) {
      targets.push([name, node]);
      continue;
    }
    if (!Array.isArray(container)) throw arrayUpdateOnNonArray(name, path, container);
    for (const index of positionalIndexes(name, container, path, state)) targets.push([String(index), node]);
  }
  return targets.sort(([left], [right]) => compareFieldNames(left, right));
}

/** True for the positional parts of an update path: `$`, `$[]` and `$[identifier]` (not a field named `$x`). */
function isPositional(name: string): boolean {
  return name === '$' || (name.startsWith('$[') && name.endsWith(']'));
}

function compareFieldNames(left: string, right: string): number {
  if (isArrayIndex(left) && isArrayIndex(right)) return Number(left) - Number(right);
  return left < right ? -1 : left > right ? 1 : 0;
}

function positionalIndexes(name: string, array: unknown[], path: string[], state: State): number[] {
  const { application } = state;
  if (name === '$') return [findPositionalIndex(application.original, path.join('.'), application.filter, application.collation)];
  if (name === '$[]') return array.map((_, index) => index);
  const identifier = name.slice(2, -1);
  const filter = application.arrayFilters.get(identifier) as ElementFilter;
  return array.flatMap((element, index) => (filter(element) ? [index] : []));
}

function arrayUpdateOnNonArray(name: string, path: string[], container: Container): CommandError {
  if (name === '$') return positionalNotFound();
  return badValue(`Cannot apply array updates to non-array element ${path[path.length - 1] ?? ''}: ${renderValue(container)}`);
}

function applyAt(container: Container, key: string, node: UpdateNode, path: string[], state: State): void {
  if (Array.isArray(container) && !isArrayIndex(key)) {
    // A field name cannot address an array: whatever would be created there is refused, anything else is a no-op.
    if (creates(node, path, state)) throw cannotCreate(key, path, container);
    return;
  }
  const exists = Array.isArray(container) ? Number(key) < container.length : Object.hasOwn(container, key);
  if (!exists) {
    const value = createValue(node, path, state);
    if (value !== UNCHANGED) setNew(container, key, value, path, state);
    return;
  }
  const current = Array.isArray(container) ? container[Number(key)] : container[key];
  if (node.kind === 'branch') {
    if (Array.isArray(current) || isPlainObject(current)) applyBranch(node, current, path, state);
    else if (creates(node, path, state)) throw cannotCreate(firstChild(node), [...path, firstChild(node)], current, key);
    return;
  }
  const result = node.modifier.applyExisting(current, context(path, state));
  if (result === UNCHANGED) return;
  record(path, state);
  if (result === REMOVE) {
    if (Array.isArray(container)) container[Number(key)] = null;
    else delete container[key];
  } else if (Array.isArray(container)) {
    container[Number(key)] = result;
  } else {
    setField(container, key, result);
  }
}

function createValue(node: UpdateNode, path: string[], state: State): unknown {
  if (node.kind === 'leaf') return node.modifier.createValue(context(path, state));
  const created: Record<string, unknown> = {};
  for (const [name, child] of [...node.children].sort(([left], [right]) => compareFieldNames(left, right))) {
    if (isPositional(name)) {
      if (name === '$') throw positionalNotFound();
      throw badValue(`The path '${path.join('.')}' must exist in the document in order to apply array updates.`);
    }
    const value = createValue(child, [...path, name], state);
    if (value !== UNCHANGED) setField(created, name, value);
  }
  return Object.keys(created).length === 0 ? UNCHANGED : created;
}

function creates(node: UpdateNode, path: string[], state: State): boolean {
  if (node.kind === 'leaf') return node.modifier.createValue(context(path, state)) !== UNCHANGED;
  return [...node.children].some(([name, child]) => isPositional(name) || creates(child, [...path, name], state));
}

function setNew(container: Container, key: string, value: unknown, path: string[], state: State): void {
  record(path, state);
  if (!Array.isArray(container)) {
    setField(container, key, value);
    return;
  }
  const index = Number(key);
  if (index - container.length > MAX_PADDING) throw new CommandError(21, 'CannotBackfillArray', `can't backfill more than ${MAX_PADDING} elements`);
  while (container.length < index) container.push(null);
  container[index] = value;
}

function firstChild(branch: UpdateBranch): string {
  return [...branch.children.keys()].sort(compareFieldNames)[0] as string;
}

function cannotCreate(field: string, path: string[], parent: unknown, parentName?: string): CommandError {
  const name = parentName ?? path[path.length - 2] ?? '';
  return new CommandError(28, 'PathNotViable', `Cannot create field '${field}' in element {${name}: ${renderValue(parent)}}`);
}

// Two positional parts can reach one element (`a.$[]` with `a.0`); MongoDB refuses such an update.
function record(path: string[], state: State): void {
  const joined = path.join('.');
  for (const other of state.modified) {
    if (other === joined || other.startsWith(`${joined}.`) || joined.startsWith(`${other}.`)) {
      throw new CommandError(40, 'ConflictingUpdateOperators', `Update created a conflict at '${joined}'`);
    }
  }
  state.modified.push(joined);
}

function context(path: string[], state: State): ModifierContext {
  const { original, isInsert, collation } = state.application;
  return { path: path.join('.'), original, isInsert, collation };
}
