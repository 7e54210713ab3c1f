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
  for (const key of Object.keys(value)) copy[key] = cloneDocument(value[key]);
  return copy as T;
}

/**
 * A string that is equal for two values exactly when MongoDB considers them equal as index keys (numbers of any
 * BSON type compare by value), used as the key of hash maps for `_id` and unique indexes.
 */
export function canonicalKey(value: unknown): string {
  if (value === undefined || value === null) return 'z';
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? 'n0' : `n${value}`;
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

function canonicalBsonKey(value: object): string | undefined {
  const record = value as Record<string, unknown> & { toString(): string; toHexString?: () => string };
  switch (bsonTypeOf(value)) {
    case 'ObjectId':
      return `o${record.toHexString?.() ?? record.toString()}`;
    case 'Long':
    case 'Int32':
    case 'Double':
      return `n${Number(record.toString())}`;
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
