import { isPlainObject } from '../../bson-values.js';

/** Stands for "no value here": a missing field (which equality with `null` matches, and `$exists` tells apart). */
export const MISSING: unique symbol = Symbol('missing');

/** A value a path reaches, or {@link MISSING}. */
export type PathValue = unknown;

/**
 * The values a dotted path reaches in a document, the way MongoDB's matcher walks it: through embedded documents,
 * into every document element of an array on the way (`items.sku`), and by position for a numeric part (`items.0`).
 * Arrays at the end of the path are returned whole; callers that compare values also look at their elements.
 * A path that reaches nothing somewhere yields {@link MISSING} there.
 */
export function valuesAtPath(document: unknown, parts: readonly string[]): PathValue[] {
  const found: PathValue[] = [];
  collect(document, parts, 0, found);
  return found;
}

function collect(value: unknown, parts: readonly string[], index: number, found: PathValue[]): void {
  if (index === parts.length) {
    found.push(value);
    return;
  }
  const part = parts[index] as string;
  if (Array.isArray(value)) {
    const before = found.length;
    if (isArrayIndex(part)) {
      const position = Number(part);
      if (position < value.length) collect(value[position], parts, index + 1, found);
    }
    for (const element of value) if (isPlainObject(element)) collect(element, parts, index, found);
    if (found.length === before) found.push(MISSING);
    return;
  }
  if (isPlainObject(value) && Object.hasOwn(value, part)) collect(value[part], parts, index + 1, found);
  else found.push(MISSING);
}

/** True for a path part that addresses an array element by position (`0`, `12`; not `01` or `-1`). */
export function isArrayIndex(part: string): boolean {
  return /^(0|[1-9]\d*)$/.test(part);
}

/** The values a comparison looks at: each value, and the elements of those that are arrays. */
export function expandArrays(values: readonly PathValue[]): PathValue[] {
  const expanded: PathValue[] = [];
  for (const value of values) {
    expanded.push(value);
    if (Array.isArray(value)) expanded.push(...value);
  }
  return expanded;
}
