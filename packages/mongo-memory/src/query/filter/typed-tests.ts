import { Binary } from 'bson';
import { bsonTypeOf } from '../../bson-values.js';
import { badValue } from '../../command-error.js';
import { integerValue, isNumeric, numberKind, numericValue } from '../bson-numbers.js';
import { bsonTypeName } from '../type-operator.js';
import { MISSING, type PathValue } from './values-at-path.js';
import type { ValueTest } from './value-tests.js';

const TYPE_ALIASES: Record<string, string> = {
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
  '12': 'dbPointer',
  '13': 'javascript',
  '14': 'symbol',
  '15': 'javascriptWithScope',
  '16': 'int',
  '17': 'timestamp',
  '18': 'long',
  '19': 'decimal',
  '-1': 'minKey',
  '127': 'maxKey',
};
const TYPE_NAMES = new Set([...Object.values(TYPE_ALIASES), 'number']);
const NUMERIC_TYPES = new Set(['double', 'int', 'long', 'decimal']);

/** `$type` with BSON type names, codes and the `number` alias; an array value is of type `array`. */
export function typeTest(operand: unknown): ValueTest {
  const wanted = (Array.isArray(operand) ? operand : [operand]).map(parseTypeName);
  return (value) => {
    if (value === MISSING) return false;
    const name = bsonTypeName(value);
    return wanted.some((type) => type === name || (type === 'number' && NUMERIC_TYPES.has(name)));
  };
}

function parseTypeName(type: unknown): string {
  if (typeof type === 'string') {
    if (!TYPE_NAMES.has(type)) throw badValue(`Unknown type name alias: ${type}`);
    return type;
  }
  if (isNumeric(type)) {
    const code = numericValue(type);
    const name = TYPE_ALIASES[String(code)];
    if (!Number.isInteger(code) || !name) throw badValue(`Invalid numerical type code: ${String(code)}`);
    return name;
  }
  throw badValue('type must be represented as a number or a string');
}

/** `$mod: [divisor, remainder]`: numbers (truncated to integers, as MongoDB does) with that remainder. */
export function modTest(operand: unknown): ValueTest {
  if (!Array.isArray(operand)) throw badValue('malformed mod, needs to be an array');
  if (operand.length < 2) throw badValue('malformed mod, not enough elements');
  if (operand.length > 2) throw badValue('malformed mod, too many elements');
  const [divisor, remainder] = operand as [unknown, unknown];
  if (!isNumeric(divisor)) throw badValue('malformed mod, divisor not a number');
  if (!isNumeric(remainder)) throw badValue('malformed mod, remainder not a number');
  const divide = truncate(divisor);
  const rest = truncate(remainder);
  if (divide === 0n) throw badValue('divisor cannot be 0');
  return (value) => {
    if (!isNumeric(value) || !Number.isFinite(numericValue(value))) return false;
    return truncate(value) % divide === rest;
  };
}

function truncate(value: unknown): bigint {
  const exact = integerValue(value);
  if (exact !== undefined) return exact;
  const number = numericValue(value);
  return Number.isFinite(number) ? BigInt(Math.trunc(number)) : 0n;
}

/** Which bitwise query operator. */
export type BitsOperator = '$bitsAllSet' | '$bitsAllClear' | '$bitsAnySet' | '$bitsAnyClear';

/**
 * The `$bits...` operators over integral numbers (as 64-bit two's complement) and binary data (bit 0 is the lowest
 * bit of the first byte). The operand is a bitmask number, a list of bit positions, or binary data.
 */
export function bitsTest(operator: BitsOperator, operand: unknown): ValueTest {
  const positions = bitPositions(operator, operand);
  const wantSet = operator === '$bitsAllSet' || operator === '$bitsAnySet';
  const all = operator === '$bitsAllSet' || operator === '$bitsAllClear';
  return (value) => {
    const readBit = bitReader(value);
    if (!readBit) return false;
    const matches = (position: number) => readBit(position) === wantSet;
    return all ? positions.every(matches) : positions.some(matches);
  };
}

function bitPositions(operator: string, operand: unknown): number[] {
  if (Array.isArray(operand)) {
    return operand.map((position) => {
      const number = isNumeric(position) ? numericValue(position) : Number.NaN;
      if (!Number.isInteger(number)) throw badValue(`bit positions must be an integer but got: ${String(position)}`);
      if (number < 0) throw badValue(`bit positions must be >= 0 but got: ${number}`);
      return number;
    });
  }
  if (bsonTypeOf(operand) === 'Binary') return positionsOfBytes((operand as Binary).buffer);
  if (isNumeric(operand)) {
    const mask = integerValue(operand);
    if (mask === undefined || mask < 0n) throw badValue(`${operator} takes an Array, a number, or a BinData but received: ${String(operand)}`);
    const positions: number[] = [];
    for (let position = 0; mask >> BigInt(position) > 0n; position += 1) if ((mask >> BigInt(position)) & 1n) positions.push(position);
    return positions;
  }
  throw badValue(`${operator} takes an Array, a number, or a BinData but received: ${String(operand)}`);
}

function positionsOfBytes(bytes: Uint8Array): number[] {
  const positions: number[] = [];
  bytes.forEach((byte, index) => {
    for (let bit = 0; bit < 8; bit += 1) if (byte & (1 << bit)) positions.push(index * 8 + bit);
  });
  return positions;
}

function bitReader(value: PathValue): ((position: number) => boolean) | undefined {
  if (bsonTypeOf(value) === 'Binary') {
    const bytes = (value as Binary).buffer;
    return (position) => ((bytes[position >> 3] ?? 0) & (1 << (position & 7))) !== 0;
  }
  if (numberKind(value) === undefined || numberKind(value) === 'decimal') return undefined;
  const integer = integerValue(value);
  if (integer === undefined || integer < -(2n ** 63n) || integer >= 2n ** 63n) return undefined;
  const twosComplement = BigInt.asUintN(64, integer);
  const negative = integer < 0n;
  return (position) => (position >= 64 ? negative : ((twosComplement >> BigInt(position)) & 1n) === 1n);
}
