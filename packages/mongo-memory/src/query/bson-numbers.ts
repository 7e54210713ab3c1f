import { Double, Long } from 'bson';
import { bsonTypeOf } from '../bson-values.js';
import { notSupported } from '../command-error.js';

/** The BSON numeric types: what a number is stored as, and so what it comes back as. */
export type NumberKind = 'int' | 'long' | 'double' | 'decimal';

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const RANK: Record<NumberKind, number> = { int: 0, long: 1, double: 2, decimal: 3 };

/**
 * The BSON type a value is stored as when it is a number. A plain JavaScript number is an `int` when `bson` would
 * encode it as int32 (an integer in range, not -0) and a `double` otherwise; `Long` and `Double` objects keep the
 * types that a plain number cannot carry (an int64, a double holding a small integer).
 */
export function numberKind(value: unknown): NumberKind | undefined {
  if (typeof value === 'number') return isInt32(value) ? 'int' : 'double';
  if (typeof value === 'bigint') return 'long';
  switch (bsonTypeOf(value)) {
    case 'Long':
      return 'long';
    case 'Double':
      return 'double';
    case 'Int32':
      return 'int';
    case 'Decimal128':
      return 'decimal';
    default:
      return undefined;
  }
}

/** True for numbers of any BSON numeric type. */
export function isNumeric(value: unknown): boolean {
  return numberKind(value) !== undefined;
}

/** A numeric value as a JavaScript number (an int64 beyond 2^53 loses precision; callers compare with care). */
export function numericValue(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  const tag = bsonTypeOf(value);
  if (tag === 'Long') return (value as Long).toNumber();
  if (tag === 'Double' || tag === 'Int32') return (value as Double).value;
  return Number(String(value));
}

/** The exact integer of an int32 or int64 value, or of a double holding an integer; `undefined` otherwise. */
export function integerValue(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (bsonTypeOf(value) === 'Long') return BigInt((value as Long).toString());
  const number = numericValue(value);
  return Number.isFinite(number) && Number.isInteger(number) ? BigInt(number) : undefined;
}

/** True when a JavaScript number would be encoded as int32. */
export function isInt32(value: number): boolean {
  return Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX && !Object.is(value, -0);
}

// A double: a plain number, or a `Double` when a plain number would be encoded as int32 instead.
function makeDouble(value: number): number | Double {
  return isInt32(value) ? new Double(value) : value;
}

/** An int64 as a `Long`, so that it is stored and returned as one. */
export function makeLong(value: bigint): Long {
  return Long.fromBigInt(value);
}

/** Whether two numeric kinds combine into the second: the wider type wins, as in MongoDB's arithmetic. */
function widerKind(left: NumberKind, right: NumberKind): NumberKind {
  return RANK[left] >= RANK[right] ? left : right;
}

/**
 * Adds or multiplies two numbers with MongoDB's type rules: int with int stays int unless it overflows (then long),
 * long with int or long stays long, and a double makes a double. Returns `undefined` when an int64 result
 * overflows (MongoDB refuses such an update). Decimal128 arithmetic is not implemented (the caller refuses it).
 */
export function combineNumbers(left: unknown, right: unknown, operation: 'add' | 'multiply'): unknown {
  const kind = widerKind(numberKind(left) as NumberKind, numberKind(right) as NumberKind);
  if (kind === 'decimal') throw notSupported('arithmetic on Decimal128 values');
  if (kind === 'double') {
    const a = numericValue(left);
    const b = numericValue(right);
    return makeDouble(operation === 'add' ? a + b : a * b);
  }
  const a = integerValue(left) as bigint;
  const b = integerValue(right) as bigint;
  const result = operation === 'add' ? a + b : a * b;
  if (kind === 'int' && result >= BigInt(INT32_MIN) && result <= BigInt(INT32_MAX)) return Number(result);
  if (result < INT64_MIN || result > INT64_MAX) return undefined;
  return makeLong(result);
}
