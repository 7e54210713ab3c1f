import { isPlainObject } from './bson-values.js';

/**
 * Every value a dotted path reaches in a document, descending through arrays the way MongoDB does for index keys
 * and sort keys (`items.sku` reads `sku` of each element). A path that reaches nothing yields `[undefined]`.
 */
export function valuesAtPath(document: unknown, path: string): unknown[] {
  // A top-level field of a document (the common case of index and sort keys) reaches exactly its own value.
  if (!path.includes('.') && isPlainObject(document)) return [Object.hasOwn(document, path) ? document[path] : undefined];
  const found: unknown[] = [];
  collect(document, path.split('.'), 0, found);
  return found.length === 0 ? [undefined] : found;
}

function collect(value: unknown, parts: string[], index: number, found: unknown[]): void {
  if (index === parts.length) {
    found.push(value);
    return;
  }
  const part = parts[index] as string;
  if (Array.isArray(value)) {
    if (/^\d+$/.test(part)) collect(value[Number(part)], parts, index + 1, found);
    else for (const item of value) if (isPlainObject(item)) collect(item, parts, index, found);
    return;
  }
  if (isPlainObject(value) && Object.hasOwn(value, part)) collect(value[part], parts, index + 1, found);
}

/** The single value at a dotted path through embedded documents only, or `undefined`. */
export function valueAtPath(document: unknown, path: string): unknown {
  let value: unknown = document;
  for (const part of path.split('.')) {
    if (!isPlainObject(value) || !Object.hasOwn(value, part)) return undefined;
    value = value[part];
  }
  return value;
}

/** Sets a value at a dotted path, creating embedded documents on the way (used to seed upserted documents). */
export function setAtPath(document: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let target = document;
  for (const part of parts.slice(0, -1)) {
    const next = target[part];
    if (!isPlainObject(next)) target[part] = {};
    target = target[part] as Record<string, unknown>;
  }
  target[parts[parts.length - 1] as string] = value;
}
