import type { AnyObject, Options } from 'mingo/types';
import { bsonTypeOf, isPlainObject } from '../bson-values.js';
import { valuesAtPath } from '../document-paths.js';

const ALIASES: Record<string, string> = {
  '1': 'double',
  '2': 'string',
  '3': 'object',
  '4': 'array',
  '5': 'binData',
  '6': 'undefined',
  '7': 'objectId',
  '8': 'bool',
  '9': 'date',
  '10': 'null',
  '11': 'regex',
  '13': 'javascript',
  '16': 'int',
  '17': 'timestamp',
  '18': 'long',
  '19': 'decimal',
  '-1': 'minKey',
  '127': 'maxKey',
};

const NUMERIC = new Set(['double', 'int', 'long', 'decimal']);

/**
 * The BSON type name of a decoded value. A JavaScript number is an `int` when the encoder would write it as int32
 * (an integer in range), otherwise a `double`, which is how `bson` encodes numbers.
 */
export function bsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) <= 0x7fffffff ? 'int' : 'double';
  if (typeof value === 'bigint') return 'long';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp) return 'regex';
  if (Array.isArray(value)) return 'array';
  if (isPlainObject(value)) return 'object';
  const tag = bsonTypeOf(value);
  const byTag: Record<string, string> = {
    ObjectId: 'objectId', Long: 'long', Int32: 'int', Double: 'double', Decimal128: 'decimal', Binary: 'binData',
    Timestamp: 'timestamp', BSONRegExp: 'regex', MinKey: 'minKey', MaxKey: 'maxKey', Code: 'javascript',
  };
  return (tag && byTag[tag]) ?? 'object';
}

function matchesType(value: unknown, wanted: string): boolean {
  const name = bsonTypeName(value);
  return name === wanted || (wanted === 'number' && NUMERIC.has(name));
}

/**
 * MongoDB's `$type` query operator with BSON type names and codes (`objectId`, `date`, `long`, 7, 9...), which mingo
 * only knows for JavaScript types. An array field matches `array` itself, or when one of its elements matches.
 */
export function $type(selector: string, value: unknown, _options: Options): (document: AnyObject) => boolean {
  const wanted = (Array.isArray(value) ? value : [value]).map((type) => ALIASES[String(type)] ?? String(type));
  return (document) =>
    valuesAtPath(document, selector).some((found) => {
      if (found === undefined) return false;
      const candidates = Array.isArray(found) ? [found, ...found] : [found];
      return candidates.some((candidate) => wanted.some((type) => matchesType(candidate, type)));
    });
}
