import { bsonTypeOf, canonicalKey, isPlainObject } from '../../bson-values.js';
import { badValue, notSupported } from '../../command-error.js';
import { isNumeric, numericValue } from '../bson-numbers.js';
import { compileCondition, compileMatch, DATABASE_REFERENCE_FIELDS, type MatchOptions } from './compile-match.js';
import { bitsTest, modTest, typeTest, type BitsOperator } from './typed-tests.js';
import { equalityTest, isRegularExpression, rangeTest, regexFlags, regexSource, regexTest, type RangeOperator, type ValueTest } from './value-tests.js';
import { expandArrays, MISSING, type PathValue } from './values-at-path.js';

/** A test of the values a path reached (arrays whole; each operator decides whether it looks at their elements). */
export type ValuesTest = (values: readonly PathValue[]) => boolean;

const GEO_OPERATORS = new Set(['$near', '$nearSphere', '$geoWithin', '$geoIntersects', '$within', '$box', '$center', '$centerSphere', '$polygon', '$geometry', '$maxDistance', '$minDistance', '$uniqueDocs']);
const RANGE_OPERATORS = new Set(['$gt', '$gte', '$lt', '$lte']);
const BITS_OPERATORS = new Set(['$bitsAllSet', '$bitsAllClear', '$bitsAnySet', '$bitsAnyClear']);
// Operators whose children name fields: an `$elemMatch` holding one of them tests documents, not values.
const DOCUMENT_OPERATORS = new Set(['$and', '$or', '$nor', '$where', '$expr', '$text', '$jsonSchema', '$comment']);

/** True when a field's condition is an operator expression (`{ $gt: 1 }`) rather than a literal document or a DBRef. */
export function isOperatorExpression(condition: unknown): condition is Record<string, unknown> {
  if (!isPlainObject(condition)) return false;
  const [first] = Object.keys(condition);
  return first !== undefined && first.startsWith('$') && !DATABASE_REFERENCE_FIELDS.has(first);
}

/**
 * Compiles an operator expression (`{ $gte: 1, $lt: 5 }`, all of which must hold). With `expand`, operators that
 * compare values also look at the elements of arrays, as for a field of a document; without it (inside a value
 * `$elemMatch`) they test each value as it is.
 */
export function compileOperators(expression: Record<string, unknown>, options: MatchOptions, expand: boolean): ValuesTest {
  const tests: ValuesTest[] = [];
  const anyValue = (test: ValueTest): ValuesTest => (expand ? (values) => expandArrays(values).some(test) : (values) => values.some(test));
  const compare = options.collation?.compare;
  for (const [operator, operand] of Object.entries(expression)) {
    if (RANGE_OPERATORS.has(operator)) {
      tests.push(anyValue(rangeTest(operator as RangeOperator, operand, compare)));
    } else if (BITS_OPERATORS.has(operator)) {
      tests.push(anyValue(bitsTest(operator as BitsOperator, operand)));
    } else if (GEO_OPERATORS.has(operator)) {
      throw notSupported(`the ${operator} query operator (geospatial queries)`);
    } else {
      const test = compileOperator(operator, operand, expression, options, expand, anyValue);
      if (test) tests.push(test);
    }
  }
  if (tests.length === 1) return tests[0] as ValuesTest;
  return (values) => tests.every((test) => test(values));
}

function compileOperator(
  operator: string,
  operand: unknown,
  expression: Record<string, unknown>,
  options: MatchOptions,
  expand: boolean,
  anyValue: (test: ValueTest) => ValuesTest,
): ValuesTest | undefined {
  const compare = options.collation?.compare;
  switch (operator) {
    case '$eq':
      return anyValue(equalityTest(operand, compare));
    case '$ne': {
      if (isRegularExpression(operand)) throw badValue("Can't have regex as arg to $ne.");
      const equal = anyValue(equalityTest(operand, compare));
      return (values) => !equal(values);
    }
    case '$in':
    case '$nin': {
      if (!Array.isArray(operand)) throw badValue(`${operator} needs an array`);
      const test = anyValue(membershipTest(operand, options));
      return operator === '$in' ? test : (values) => !test(values);
    }
    case '$exists': {
      const wanted = isTruthy(operand);
      return (values) => values.some((value) => value !== MISSING) === wanted;
    }
    case '$type':
      return anyValue(typeTest(operand));
    case '$regex':
      return anyValue(regexOperatorTest(operand, expression['$options']));
    case '$options':
      if (!('$regex' in expression)) throw badValue('$options needs a $regex');
      return undefined;
    case '$not': {
      const inner = notOperand(operand, options, expand);
      return (values) => !inner(values);
    }
    case '$all':
      return allTest(operand, options, expand);
    case '$elemMatch':
      return elemMatchTest(operand, options);
    case '$size':
      return sizeTest(operand);
    case '$mod':
      return anyValue(modTest(operand));
    default:
      throw badValue(`unknown operator: ${operator}`);
  }
}

function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (isNumeric(value)) return numericValue(value) !== 0;
  return true;
}

// Scalars (no collation for strings) are looked up by canonical key, so long `$in` lists cost one hash lookup.
function membershipTest(list: unknown[], options: MatchOptions): ValueTest {
  const keys = new Set<string>();
  const others: ValueTest[] = [];
  for (const item of list) {
    if (isRegularExpression(item)) others.push(regexTest(regexSource(item), regexFlags(item)));
    else if (isPlainObject(item) && Object.keys(item).some((key) => key.startsWith('$') && !DATABASE_REFERENCE_FIELDS.has(key))) {
      throw badValue('cannot nest $ under $in');
    } else if (isKeyed(item, options)) keys.add(canonicalKey(item));
    else others.push(equalityTest(item, options.collation?.compare));
  }
  return (value) => (isKeyed(value, options) && keys.has(canonicalKey(value))) || others.some((test) => test(value));
}

function isKeyed(value: unknown, options: MatchOptions): boolean {
  if (typeof value === 'string') return !options.collation;
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'boolean' || value instanceof Date || bsonTypeOf(value) === 'ObjectId';
}

function regexOperatorTest(pattern: unknown, options: unknown): ValueTest {
  if (options !== undefined && typeof options !== 'string') throw badValue('$options has to be a string');
  if (isRegularExpression(pattern)) {
    const flags = options === undefined ? regexFlags(pattern) : options;
    if (options !== undefined && regexFlags(pattern) !== '') throw badValue('options set in both $regex and $options');
    return regexTest(regexSource(pattern), flags);
  }
  if (typeof pattern !== 'string') throw badValue('$regex has to be a string');
  return regexTest(pattern, options ?? '');
}

function notOperand(operand: unknown, options: MatchOptions, expand: boolean): ValuesTest {
  if (isRegularExpression(operand)) return compileCondition(operand, options, expand);
  if (!isPlainObject(operand)) throw badValue('$not needs a regex or a document');
  if (Object.keys(operand).length === 0) throw badValue('$not cannot be empty');
  if (!isOperatorExpression(operand)) throw badValue(`unknown operator: ${Object.keys(operand)[0] ?? ''}`);
  return compileOperators(operand, options, expand);
}

function allTest(operand: unknown, options: MatchOptions, expand: boolean): ValuesTest {
  if (!Array.isArray(operand)) throw badValue('$all needs an array');
  if (operand.length === 0) return () => false;
  const isElemMatch = (item: unknown) => isPlainObject(item) && Object.keys(item)[0] === '$elemMatch';
  const elemMatches = operand.filter(isElemMatch).length;
  if (elemMatches > 0 && elemMatches !== operand.length) throw badValue('$all/$elemMatch has to be consistent');
  if (elemMatches === 0 && operand.some(isOperatorExpression)) throw badValue('no $ expressions in $all');
  const tests = operand.map((item) =>
    isElemMatch(item) ? compileOperators(item as Record<string, unknown>, options, expand) : compileCondition(item, options, expand),
  );
  return (values) => tests.every((test) => test(values));
}

function elemMatchTest(operand: unknown, options: MatchOptions): ValuesTest {
  if (!isPlainObject(operand)) throw badValue('$elemMatch needs an Object');
  const [first] = Object.keys(operand);
  const byValue = first !== undefined && isOperatorExpression(operand) && !DOCUMENT_OPERATORS.has(first);
  if (byValue) {
    const test = compileOperators(operand, options, false);
    return (values) => values.some((value) => Array.isArray(value) && value.some((element) => test([element])));
  }
  const matches = compileMatch(operand, options);
  return (values) =>
    values.some((value) => Array.isArray(value) && value.some((element) => (isPlainObject(element) || Array.isArray(element)) && matches(element as Record<string, unknown>)));
}

function sizeTest(operand: unknown): ValuesTest {
  if (!isNumeric(operand)) throw badValue('$size needs a number');
  const size = numericValue(operand);
  if (!Number.isInteger(size)) throw badValue(`$size must be a whole number`);
  if (size < 0) throw badValue(`$size may not be negative`);
  return (values) => values.some((value) => Array.isArray(value) && value.length === size);
}
