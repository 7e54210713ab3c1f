import type { Document } from 'bson';

/** A stored document: a plain object as `bson` decodes it. */
export type StoredDocument = Document;

interface BsonTagged {
  _bsontype?: string;
}

/** The `_bsontype` tag of a value from the `bson` package (ObjectId, Long, Binary...), if it has one. */
export function bsonTypeOf(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null ? (value as BsonTagged)._bsontype : undefined;
}

/** True for plain JavaScript objects (embedded documents), false for arrays, dates and BSON value classes. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** True when an object is an operator expression such as `{ $gt: 1 }` rather than a literal embedded document. */
export function isOperatorObject(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

/**
 * A deep copy of a document. BSON value classes (ObjectId, Long, Binary...) are immutable in practice and shared;
 * dates, arrays and embedded documents are copied so that no caller can change stored data.
 */
export function cloneDocument<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => cloneDocument(item)) as T;
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) setField(copy, key, cloneDocument(value[key]));
  return copy as T;
}

/**
 * Sets a field of a document as an own field, even one named `__proto__` (a legal field name in MongoDB), which a
 * plain assignment would turn into a change of the object's prototype.
 */
export function setField(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/**
 * A string that is equal for two values exactly when MongoDB considers them equal as index keys (numbers of any
 * BSON type compare by value), used as the key of hash maps for `_id` and unique indexes.
 */
export function canonicalKey(value: unknown): string {
  if (value === undefined || value === null) return 'z';
  switch (typeof value) {
    case 'number':
      return numberKey(value);
    case 'bigint':
      return `n${value}`;
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'b1' : 'b0';
    default:
      break;
  }
  if (value instanceof Date) return `d${value.getTime()}`;
  if (value instanceof RegExp) return `r${String(value)}`;
  if (Array.isArray(value)) return `[${value.map(canonicalKey).join(',')}]`;
  const tagged = canonicalBsonKey(value);
  if (tagged !== undefined) return tagged;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record)
    .map((key) => `${JSON.stringify(key)}:${canonicalKey(record[key])}`)
    .join(',')}}`;
}

// Integers beyond 2^53 are written out in full (JavaScript would round 2^60 to "1152921504606847000").
function numberKey(value: number): string {
  if (Object.is(value, -0)) return 'n0';
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) return `n${BigInt(value)}`;
  return `n${value}`;
}

function canonicalBsonKey(value: object): string | undefined {
  const record = value as Record<string, unknown> & { toString(): string; toHexString?: () => string };
  switch (bsonTypeOf(value)) {
    case 'ObjectId':
      return `o${record.toHexString?.() ?? record.toString()}`;
    case 'Long': {
      // An int64 beyond 2^53 keeps all its digits, which is also how a double holding that integer is written.
      const number = Number(record.toString());
      return Number.isSafeInteger(number) ? numberKey(number) : `n${record.toString()}`;
    }
    case 'Int32':
    case 'Double':
      return numberKey(Number(record.toString()));
    case 'Decimal128':
      return `n${Number(record.toString())}`;
    case 'Binary':
      return `x${String(record['sub_type'])}:${Buffer.from(record['buffer'] as Uint8Array).toString('base64')}`;
    case 'Timestamp':
      return `t${record.toString()}`;
    case 'MinKey':
      return 'min';
    case 'MaxKey':
      return 'max';
    case undefined:
      return undefined;
    default:
      return `${bsonTypeOf(value)}:${record.toString()}`;
  }
}

const COMPARED_AS_STRINGS = new Set(['ObjectId', 'Long', 'Decimal128', 'Timestamp', 'Int32', 'Double']);

/**
 * True when two values would be stored as the same BSON: same types, same values, same field order. Cheaper than
 * comparing canonical keys (no strings are built), and stricter: a Long 1 is not the number 1.
 */
export function isSameValue(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) {
    return typeof left === 'number' && typeof right === 'number' && Number.isNaN(left) && Number.isNaN(right);
  }
  if (Array.isArray(left) || Array.isArray(right)) {
    return Array.isArray(left) && Array.isArray(right) && left.length === right.length && left.every((item, index) => isSameValue(item, right[index]));
  }
  if (left instanceof Date || right instanceof Date) {
    return left instanceof Date && right instanceof Date && Object.is(left.getTime(), right.getTime());
  }
  if (left instanceof RegExp || right instanceof RegExp) return left instanceof RegExp && right instanceof RegExp && String(left) === String(right);
  if (isPlainObject(left) && isPlainObject(right)) return hasSameFields(left, right);
  const type = bsonTypeOf(left);
  if (type !== bsonTypeOf(right) || Object.getPrototypeOf(left) !== Object.getPrototypeOf(right)) return false;
  if (type !== undefined && COMPARED_AS_STRINGS.has(type)) return String(left) === String(right);
  if (type === 'Binary') return canonicalKey(left) === canonicalKey(right);
  return hasSameFields(left as Record<string, unknown>, right as Record<string, unknown>);
}

function hasSameFields(left: Record<string, unknown>, right: Record<string, unknown>): boolean {
  const leftKeys = Object.keys(left);
  const rightKeys = Object.keys(right);
  if (leftKeys.length !== rightKeys.length) return false;
  return leftKeys.every((key, index) => key === rightKeys[index] && isSameValue(left[key], right[key]));
}
