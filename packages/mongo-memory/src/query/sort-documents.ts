import type { StoredDocument } from '../bson-values.js';
import { badValue, notSupported } from '../command-error.js';
import { valuesAtPath } from '../document-paths.js';
import { compareBson, type StringComparator } from './bson-order.js';

/** A sort specification as commands carry it: `{ field: 1 | -1 }` in priority order. */
export type SortSpecification = Record<string, unknown>;

interface SortField {
  path: string;
  direction: 1 | -1;
  /** Sorts by the text score (highest first) rather than by a field. */
  isTextScore?: boolean;
}

/**
 * Sorts documents in MongoDB's order across BSON types (`$natural` is the order they come in), strings as the
 * collation orders them when one is given. The sort is stable, so ties keep their natural (insertion) order; an
 * array field sorts by its smallest element ascending and its largest descending, as MongoDB does.
 */
export function sortDocuments<T extends StoredDocument>(
  documents: readonly T[],
  specification: SortSpecification,
  compareStrings?: StringComparator,
  textScores?: ReadonlyMap<StoredDocument, number>,
): T[] {
  const fields = parseSort(specification, textScores !== undefined);
  if (fields.length === 0) return documents.slice();
  const keyOf = (document: T, field: SortField, position: number) => {
    if (field.isTextScore) return textScores?.get(document) ?? 0;
    return field.path === '$natural' ? position : sortKey(document, field, compareStrings);
  };
  const decorated = documents.map((document, position) => ({
    document,
    keys: fields.map((field) => keyOf(document, field, position)),
  }));
  decorated.sort((left, right) => {
    for (let index = 0; index < fields.length; index += 1) {
      const order = compareBson(left.keys[index], right.keys[index], compareStrings);
      if (order !== 0) return order * (fields[index] as SortField).direction;
    }
    return 0;
  });
  return decorated.map((entry) => entry.document);
}

function parseSort(specification: SortSpecification, hasTextScores: boolean): SortField[] {
  const fields: SortField[] = [];
  for (const [path, value] of Object.entries(specification)) {
    const meta = typeof value === 'object' && value !== null && '$meta' in value ? (value as Record<string, unknown>)['$meta'] : undefined;
    if (meta === 'textScore' && hasTextScores) {
      fields.push({ path, direction: -1, isTextScore: true });
      continue;
    }
    if (meta !== undefined) throw notSupported(`sorting by { $meta: '${String((value as Record<string, unknown>)['$meta'])}' }`);
    const direction = Number(value);
    if (direction !== 1 && direction !== -1) throw badValue(`$sort key ordering must be 1 (for ascending) or -1 (for descending)`);
    fields.push({ path, direction });
  }
  return fields;
}

function sortKey(document: StoredDocument, field: SortField, compareStrings?: StringComparator): unknown {
  const values = valuesAtPath(document, field.path).flatMap((value) => (Array.isArray(value) ? value : [value]));
  if (values.length === 0) return undefined;
  let chosen = values[0];
  for (const value of values) {
    const order = compareBson(value, chosen, compareStrings);
    if ((field.direction === 1 && order < 0) || (field.direction === -1 && order > 0)) chosen = value;
  }
  return chosen;
}
