import { isPlainObject } from '../../bson-values.js';
import { CommandError } from '../../command-error.js';
import { bsonTypeName } from '../type-operator.js';
import { parseModifier, type Modifier } from './update-modifiers.js';

/** A field of an update's tree: a modifier at the end of a path, or more fields below. */
export type UpdateNode = UpdateLeaf | UpdateBranch;

/** The end of an update path: what to do there. */
export interface UpdateLeaf {
  kind: 'leaf';
  /** The path as the update wrote it (`items.$.qty`), for error messages. */
  path: string;
  modifier: Modifier;
}

/** A path part with fields below it; positional parts (`$`, `$[]`, `$[id]`) are children like any other name. */
export interface UpdateBranch {
  kind: 'branch';
  children: Map<string, UpdateNode>;
}

/** The parsed update: its tree and the array filter identifiers its paths use. */
export interface UpdateTree {
  root: UpdateBranch;
  identifiers: Set<string>;
}

/**
 * Parses an operator update into a tree of paths, refusing what MongoDB refuses at parse time: unknown modifiers,
 * empty path parts, more than one `$` in a path, and two modifiers on one path or on a path and its parent
 * (ConflictingUpdateOperators, 40). Positional parts are names of their own, so `a.$.x` and `a.$.y` do not conflict.
 */
export function parseUpdateTree(update: Record<string, unknown>): UpdateTree {
  const root: UpdateBranch = { kind: 'branch', children: new Map() };
  const identifiers = new Set<string>();
  for (const [operator, fields] of Object.entries(update)) {
    if (!operator.startsWith('$')) {
      throw new CommandError(9, 'FailedToParse', `Unknown modifier: ${operator}. Expected a valid update modifier or pipeline-style update specified as an array`);
    }
    if (!isPlainObject(fields)) {
      throw new CommandError(9, 'FailedToParse', `Modifiers operate on fields but we found type ${bsonTypeName(fields)} instead. For example: {$mod: {<field>: ...}} not {${operator}: ${String(fields)}}`);
    }
    for (const [path, argument] of Object.entries(fields)) {
      const parts = parsePath(path);
      for (const part of parts) {
        const identifier = /^\$\[(.*)\]$/.exec(part)?.[1];
        if (identifier) identifiers.add(identifier);
      }
      for (const [leafPath, modifier] of parseModifier(operator, path, argument)) insertLeaf(root, leafPath, modifier);
    }
  }
  return { root, identifiers };
}

function parsePath(path: string): string[] {
  if (path.length === 0) throw new CommandError(56, 'EmptyFieldName', 'An empty update path is not valid.');
  const parts = path.split('.');
  if (parts.some((part) => part.length === 0)) {
    throw new CommandError(56, 'EmptyFieldName', `The update path '${path}' contains an empty field name, which is not allowed.`);
  }
  const positional = parts.filter((part) => part === '$');
  if (positional.length > 1) throw new CommandError(2, 'BadValue', `Too many positional (i.e. '$') elements found in path '${path}'`);
  if (parts[0] === '$' || /^\$\[.*\]$/.test(parts[0] as string)) {
    throw new CommandError(2, 'BadValue', `Cannot have positional (i.e. '$') element in the first position in path '${path}'`);
  }
  for (const part of parts) {
    const identifier = /^\$\[(.*)\]$/.exec(part)?.[1];
    if (identifier && !/^[a-z][a-zA-Z0-9]*$/.test(identifier)) {
      throw new CommandError(2, 'BadValue', `The array filter identifier '${identifier}' must begin with a lowercase letter and contain only alphanumeric characters.`);
    }
  }
  return parts;
}

function insertLeaf(root: UpdateBranch, path: string, modifier: Modifier): void {
  const parts = path.split('.');
  let current = root;
  for (const [index, part] of parts.slice(0, -1).entries()) {
    const child = current.children.get(part);
    if (child?.kind === 'leaf') throw conflict(path, parts.slice(0, index + 1).join('.'));
    if (!child) {
      const branch: UpdateBranch = { kind: 'branch', children: new Map() };
      current.children.set(part, branch);
      current = branch;
    } else {
      current = child;
    }
  }
  const last = parts[parts.length - 1] as string;
  if (current.children.has(last)) throw conflict(path, path);
  current.children.set(last, { kind: 'leaf', path, modifier });
}

function conflict(path: string, at: string): CommandError {
  return new CommandError(40, 'ConflictingUpdateOperators', `Updating the path '${path}' would create a conflict at '${at}'`);
}
