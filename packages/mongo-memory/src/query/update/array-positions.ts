import { isPlainObject, type StoredDocument } from '../../bson-values.js';
import { badValue, CommandError } from '../../command-error.js';
import type { Collation } from '../collation.js';
import { compileMatch } from '../filter/compile-match.js';

/** Tells whether an array element passes the array filter of an identifier (`$[item]`). */
export type ElementFilter = (element: unknown) => boolean;

const WRAPPER = 'element';

/**
 * Parses `arrayFilters`: each filter names one identifier in all its top-level fields (`{ 'item.qty': { $gt: 5 } }`),
 * and tests array elements as MongoDB does, by matching `{ item: element }`.
 */
export function parseArrayFilters(arrayFilters: unknown, collation: Collation | undefined): Map<string, ElementFilter> {
  const filters = new Map<string, ElementFilter>();
  if (arrayFilters === undefined || arrayFilters === null) return filters;
  if (!Array.isArray(arrayFilters)) throw badValue('arrayFilters must be an array');
  for (const filter of arrayFilters) {
    if (!isPlainObject(filter)) throw new CommandError(14, 'TypeMismatch', 'Each array filter must be an object');
    const identifiers = new Set<string>();
    const renamed = renameIdentifier(filter, identifiers);
    if (identifiers.size !== 1) {
      throw new CommandError(9, 'FailedToParse', identifiers.size === 0 ? 'Cannot use an expression without a top-level field name in arrayFilters' : `Error parsing array filter :: caused by :: Expected a single top-level field name, found '${[...identifiers].join("' and '")}'`);
    }
    const [identifier] = [...identifiers] as [string];
    if (!/^[a-z][a-zA-Z0-9]*$/.test(identifier)) {
      throw badValue(`Error parsing array filter :: caused by :: The top-level field name must be an alphanumeric string beginning with a lowercase letter, found '${identifier}'`);
    }
    if (filters.has(identifier)) throw new CommandError(9, 'FailedToParse', `Found multiple array filters with the same top-level field name ${identifier}`);
    const matches = compileMatch(renamed, { collation });
    filters.set(identifier, (element) => matches({ [WRAPPER]: element }));
  }
  return filters;
}

// `{ 'item.qty': ... }` becomes `{ 'element.qty': ... }`, also inside `$and`, `$or` and `$nor`.
function renameIdentifier(filter: Record<string, unknown>, identifiers: Set<string>): Record<string, unknown> {
  const renamed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filter)) {
    if ((key === '$and' || key === '$or' || key === '$nor') && Array.isArray(value)) {
      renamed[key] = value.map((clause) => (isPlainObject(clause) ? renameIdentifier(clause, identifiers) : clause));
      continue;
    }
    if (key.startsWith('$')) {
      renamed[key] = value;
      continue;
    }
    const dot = key.indexOf('.');
    identifiers.add(dot < 0 ? key : key.slice(0, dot));
    renamed[dot < 0 ? WRAPPER : `${WRAPPER}${key.slice(dot)}`] = value;
  }
  return renamed;
}

/**
 * The index of the array element the positional `$` stands for: the first element for which the query's conditions
 * on that array (`{ 'items.sku': 'x' }`, `{ items: { $elemMatch: ... } }`) hold, as MongoDB records it while matching.
 */
export function findPositionalIndex(
  document: StoredDocument,
  arrayPath: string,
  filter: Record<string, unknown>,
  collation: Collation | undefined,
): number {
  const array = readObjectPath(document, arrayPath);
  const conditions = conditionsOn(filter, arrayPath);
  if (!Array.isArray(array) || conditions.length === 0) throw positionalNotFound();
  const matches = compileMatch({ $and: conditions }, { collation });
  const parts = arrayPath.split('.');
  const index = array.findIndex((element) => matches(nest(parts, [element])));
  if (index < 0) throw positionalNotFound();
  return index;
}

/** MongoDB's error when the positional `$` has no array element from the query to stand for. */
export function positionalNotFound(): CommandError {
  return badValue('The positional operator did not find the match needed from the query.');
}

function conditionsOn(filter: Record<string, unknown>, arrayPath: string, found: Record<string, unknown>[] = []): Record<string, unknown>[] {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const clause of value) if (isPlainObject(clause)) conditionsOn(clause, arrayPath, found);
    } else if (key === arrayPath || key.startsWith(`${arrayPath}.`)) {
      found.push({ [key]: value });
    }
  }
  return found;
}

function readObjectPath(document: StoredDocument, path: string): unknown {
  let value: unknown = document;
  for (const part of path.split('.')) {
    if (Array.isArray(value) && /^\d+$/.test(part)) value = value[Number(part)];
    else if (isPlainObject(value)) value = value[part];
    else return undefined;
  }
  return value;
}

function nest(parts: string[], value: unknown): Record<string, unknown> {
  return parts.reduceRight<Record<string, unknown>>((inner, part) => ({ [part]: inner }), value as never);
}
