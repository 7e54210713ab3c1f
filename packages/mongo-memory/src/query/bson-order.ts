import { bsonTypeOf, isPlainObject } from '../bson-values.js';
import { integerValue, numberKind, numericValue } from './bson-numbers.js';

/** How strings compare: by code unit (MongoDB's simple collation), or as a collation orders them. */
export type StringComparator = (left: string, right: string) => number;

// MongoDB's comparison order of BSON types; null and missing share a rank so they sort together.
const RANK_MIN_KEY = 1;
const RANK_NULL = 2;
const RANK_NUMBER = 3;
const RANK_STRING = 4;
const RANK_OBJECT = 5;
const RANK_ARRAY = 6;
const RANK_BINARY = 7;
const RANK_OBJECT_ID = 8;
const RANK_BOOLEAN = 9;
const RANK_DATE = 10;
const RANK_TIMESTAMP = 11;
const RANK_REGEX = 12;
const RANK_MAX_KEY = 13;

/** The position of a value's BSON type in MongoDB's cross-type comparison order. */
export function typeRank(value: unknown): number {
  if (value === undefined || value === null) return RANK_NULL;
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return RANK_NUMBER;
    case 'string':
      return RANK_STRING;
    case 'boolean':
      return RANK_BOOLEAN;
    default:
      break;
  }
  if (value instanceof Date) return RANK_DATE;
  if (value instanceof RegExp) return RANK_REGEX;
  if (Array.isArray(value)) return RANK_ARRAY;
  if (value instanceof Uint8Array) return RANK_BINARY;
  return bsonRank(value);
}

function bsonRank(value: unknown): number {
  switch (bsonTypeOf(value)) {
    case 'ObjectId':
      return RANK_OBJECT_ID;
    case 'Long':
    case 'Int32':
    case 'Double':
    case 'Decimal128':
      return RANK_NUMBER;
    case 'Binary':
      return RANK_BINARY;
    case 'Timestamp':
      return RANK_TIMESTAMP;
    case 'BSONRegExp':
      return RANK_REGEX;
    case 'BSONSymbol':
      return RANK_STRING;
    case 'MinKey':
      return RANK_MIN_KEY;
    case 'MaxKey':
      return RANK_MAX_KEY;
    default:
      return RANK_OBJECT;
  }
}

/**
 * Compares two values in MongoDB's order: first by type rank, then by value within the type. Strings (also inside
 * arrays and embedded documents) compare with `compareStrings` when a collation is in force.
 */
export function compareBson(left: unknown, right: unknown, compareStrings?: StringComparator): number {
  // The pairs index keys and sorts compare most (dates, numbers, plain strings), without ranking their types.
  if (left instanceof Date && right instanceof Date) return compareScalars(left.getTime(), right.getTime());
  if (typeof left === 'number' && typeof right === 'number') return compareNumbers(left, right);
  if (typeof left === 'string' && typeof right === 'string' && !compareStrings) return compareScalars(left, right);
  const rankLeft = typeRank(left);
  const rankRight = typeRank(right);
  if (rankLeft !== rankRight) return rankLeft < rankRight ? -1 : 1;
  switch (rankLeft) {
    case RANK_NULL:
    case RANK_MIN_KEY:
    case RANK_MAX_KEY:
      return 0;
    case RANK_NUMBER:
      return compareNumeric(left, right);
    case RANK_STRING:
      return compareStrings ? Math.sign(compareStrings(String(left), String(right))) : compareScalars(String(left), String(right));
    case RANK_BOOLEAN:
      return compareScalars(Number(left), Number(right));
    case RANK_DATE:
      return compareScalars((left as Date).getTime(), (right as Date).getTime());
    case RANK_OBJECT_ID:
      return compareObjectIds(left, right);
    case RANK_TIMESTAMP:
      return compareScalars(BigInt(String(left)), BigInt(String(right)));
    case RANK_ARRAY:
      return compareArrays(left as unknown[], right as unknown[], compareStrings);
    case RANK_OBJECT:
      return compareObjects(left, right, compareStrings);
    case RANK_BINARY:
      return compareBinary(left, right);
    default:
      return compareScalars(String(left), String(right));
  }
}

interface ObjectIdWords {
  i0?: unknown;
  i1?: number;
  i2?: number;
  i3?: number;
}

// bson keeps an ObjectId as four 24-bit words, whose order is the order of its bytes (and of its hex string): compared
// without building two strings. Any other shape compares by hex string.
function compareObjectIds(left: unknown, right: unknown): number {
  const a = left as ObjectIdWords;
  const b = right as ObjectIdWords;
  if (typeof a.i0 !== 'number' || typeof b.i0 !== 'number') return compareScalars(String(left), String(right));
  if (a.i0 !== b.i0) return a.i0 < b.i0 ? -1 : 1;
  if (a.i1 !== b.i1) return (a.i1 as number) < (b.i1 as number) ? -1 : 1;
  if (a.i2 !== b.i2) return (a.i2 as number) < (b.i2 as number) ? -1 : 1;
  if (a.i3 !== b.i3) return (a.i3 as number) < (b.i3 as number) ? -1 : 1;
  return 0;
}

function compareScalars<T extends number | string | bigint>(left: T, right: T): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

// MongoDB orders NaN below every other number and equal to itself.
function compareNumbers(left: number, right: number): number {
  if (Number.isNaN(left) || Number.isNaN(right)) return Number.isNaN(left) ? (Number.isNaN(right) ? 0 : -1) : 1;
  return compareScalars(left, right);
}

// Two int64 values compare exactly (beyond 2^53 a double cannot tell them apart); anything else by value.
function compareNumeric(left: unknown, right: unknown): number {
  if (numberKind(left) === 'long' || numberKind(right) === 'long') {
    const leftInteger = integerValue(left);
    const rightInteger = integerValue(right);
    if (leftInteger !== undefined && rightInteger !== undefined) return compareScalars(leftInteger, rightInteger);
  }
  return compareNumbers(numericValue(left), numericValue(right));
}

function compareArrays(left: unknown[], right: unknown[], compareStrings?: StringComparator): number {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index += 1) {
    const order = compareBson(left[index], right[index], compareStrings);
    if (order !== 0) return order;
  }
  return compareScalars(left.length, right.length);
}

function compareObjects(left: unknown, right: unknown, compareStrings?: StringComparator): number {
  if (!isPlainObject(left) || !isPlainObject(right)) return compareScalars(String(left), String(right));
  const leftKeys = Object.keys(left);
  const rightKeys = Object.keys(right);
  const length = Math.min(leftKeys.length, rightKeys.length);
  for (let index = 0; index < length; index += 1) {
    const leftKey = leftKeys[index] as string;
    const rightKey = rightKeys[index] as string;
    const byType = compareScalars(typeRank(left[leftKey]), typeRank(right[rightKey]));
    if (byType !== 0) return byType;
    const byName = compareScalars(leftKey, rightKey);
    if (byName !== 0) return byName;
    const byValue = compareBson(left[leftKey], right[rightKey], compareStrings);
    if (byValue !== 0) return byValue;
  }
  return compareScalars(leftKeys.length, rightKeys.length);
}

// MongoDB orders binary data by length, then subtype, then bytes.
function compareBinary(left: unknown, right: unknown): number {
  const bytes = (value: unknown): Buffer =>
    Buffer.from(value instanceof Uint8Array ? value : ((value as { buffer: Uint8Array }).buffer ?? new Uint8Array()));
  const subtype = (value: unknown): number => (value instanceof Uint8Array ? 0 : Number((value as { sub_type?: number }).sub_type ?? 0));
  const leftBytes = bytes(left);
  const rightBytes = bytes(right);
  if (leftBytes.length !== rightBytes.length) return compareScalars(leftBytes.length, rightBytes.length);
  const bySubtype = compareScalars(subtype(left), subtype(right));
  if (bySubtype !== 0) return bySubtype;
  return Math.sign(Buffer.compare(leftBytes, rightBytes));
}
