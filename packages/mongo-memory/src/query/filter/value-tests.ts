import { bsonTypeOf } from '../../bson-values.js';
import { CommandError } from '../../command-error.js';
import { compareBson, typeRank, type StringComparator } from '../bson-order.js';
import { MISSING, type PathValue } from './values-at-path.js';

/** A test of one value a path reached (or {@link MISSING}). */
export type ValueTest = (value: PathValue) => boolean;

// `null` in a query stands for null or missing, in MongoDB's equality.
function isNullish(value: unknown): boolean {
  return value === null || value === undefined || value === MISSING;
}

/** True for a regular expression as a query carries it (a JavaScript RegExp, or a BSONRegExp). */
export function isRegularExpression(value: unknown): value is RegExp {
  return value instanceof RegExp || bsonTypeOf(value) === 'BSONRegExp';
}

/** MongoDB's equality of a stored value and a query operand: `null` matches missing too; numbers compare by value. */
export function equalityTest(operand: unknown, compareStrings?: StringComparator): ValueTest {
  if (operand === null || operand === undefined) return isNullish;
  const rank = typeRank(operand);
  return (value) => value !== MISSING && typeRank(value) === rank && compareBson(value, operand, compareStrings) === 0;
}

/** Which comparison a range operator makes. */
export type RangeOperator = '$gt' | '$gte' | '$lt' | '$lte';

const MIN_KEY_RANK = typeRank({ _bsontype: 'MinKey' });
const MAX_KEY_RANK = typeRank({ _bsontype: 'MaxKey' });

/**
 * A range comparison as MongoDB makes it: only values of the operand's type class compare (a number is never
 * greater than a string), `$gte`/`$lte` with `null` match null and missing, and MinKey/MaxKey compare with anything.
 */
export function rangeTest(operator: RangeOperator, operand: unknown, compareStrings?: StringComparator): ValueTest {
  const accepts = (order: number) => (operator === '$gt' ? order > 0 : operator === '$gte' ? order >= 0 : operator === '$lt' ? order < 0 : order <= 0);
  if (operand === null || operand === undefined) return operator === '$gte' || operator === '$lte' ? isNullish : () => false;
  const rank = typeRank(operand);
  if (rank === MIN_KEY_RANK || rank === MAX_KEY_RANK) {
    return (value) => value !== MISSING && accepts(compareBson(value, operand, compareStrings));
  }
  return (value) => value !== MISSING && typeRank(value) === rank && accepts(compareBson(value, operand, compareStrings));
}

/**
 * A regular expression test: strings that match it, and stored regular expressions equal to it. PCRE's extended
 * flag `x` (ignore whitespace and `#` comments) is applied by rewriting the pattern, as JavaScript has no such flag.
 */
export function regexTest(source: string, options: string): ValueTest {
  const pattern = buildRegExp(source, options);
  return (value) => {
    if (typeof value === 'string') {
      pattern.lastIndex = 0;
      return pattern.test(value);
    }
    if (isRegularExpression(value)) return regexSource(value) === source && regexFlags(value) === normalizeFlags(options);
    return false;
  };
}

/** Builds a JavaScript RegExp from a pattern and MongoDB's `$options` (`i`, `m`, `s`, `x`, `u`). */
export function buildRegExp(source: string, options: string): RegExp {
  for (const flag of options) {
    if (!'imsxu'.includes(flag)) throw regexError(`invalid flag in regex options: ${flag}`);
  }
  const pattern = options.includes('x') ? stripExtendedSyntax(source) : source;
  const flags = [...new Set(options.replace(/[xu]/g, ''))].join('');
  try {
    return new RegExp(pattern, flags);
  } catch (error) {
    throw regexError(`Regular expression is invalid: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function regexError(message: string): CommandError {
  return new CommandError(51091, 'Location51091', message);
}

/** The pattern of a RegExp or BSONRegExp. */
export function regexSource(value: RegExp): string {
  return value instanceof RegExp ? value.source : String((value as unknown as { pattern: string }).pattern);
}

/** The flags of a RegExp or BSONRegExp, as MongoDB's `$options` letters. */
export function regexFlags(value: RegExp): string {
  return normalizeFlags(value instanceof RegExp ? value.flags : String((value as unknown as { options: string }).options));
}

function normalizeFlags(flags: string): string {
  return [...new Set(flags.replace(/[gy]/g, ''))].sort().join('');
}

// In extended mode PCRE ignores unescaped whitespace outside character classes, and `#` starts a comment to the end
// of the line.
function stripExtendedSyntax(source: string): string {
  let result = '';
  let inClass = false;
  for (let index = 0; index < source.length; index += 1) {
    const character = source[index] as string;
    if (character === '\\') {
      result += character + (source[index + 1] ?? '');
      index += 1;
    } else if (inClass) {
      if (character === ']') inClass = false;
      result += character;
    } else if (character === '[') {
      inClass = true;
      result += character;
    } else if (character === '#') {
      while (index < source.length && source[index] !== '\n') index += 1;
    } else if (!/\s/.test(character)) {
      result += character;
    }
  }
  return result;
}
