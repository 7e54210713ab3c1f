import { isPlainObject, type StoredDocument } from '../../bson-values.js';
import { badValue, notSupported } from '../../command-error.js';
import { isNumeric, numericValue } from '../bson-numbers.js';
import type { Collation } from '../collation.js';
import { compileOperators, isOperatorExpression, type ValuesTest } from './compile-operators.js';
import { compileExpressionTest } from './expression-test.js';
import { compileJsonSchema } from './json-schema.js';
import { equalityTest, isRegularExpression, regexFlags, regexSource, regexTest } from './value-tests.js';
import { expandArrays, valuesAtPath } from './values-at-path.js';

/** A compiled query filter. */
export type DocumentPredicate = (document: StoredDocument) => boolean;

/** What a filter is compiled with: the collation in force for its strings. */
export interface MatchOptions {
  collation?: Collation | undefined;
}

/** Field names that start with `$` and still name fields: the parts of a DBRef. */
export const DATABASE_REFERENCE_FIELDS = new Set(['$ref', '$id', '$db']);

/**
 * Compiles a MongoDB query filter into a predicate with MongoDB's semantics: array traversal, `null` matching
 * missing fields, comparisons only within a BSON type class, every query operator but geo, `$text` and `$where`
 * (which are refused with NotImplemented rather than ignored), and the collation's string comparison.
 */
export function compileMatch(filter: Record<string, unknown>, options: MatchOptions = {}): DocumentPredicate {
  const predicates = Object.entries(filter).map(([key, value]) =>
    key.startsWith('$') && !DATABASE_REFERENCE_FIELDS.has(key) ? compileTopLevel(key, value, options) : compileField(key, value, options),
  );
  return conjunction(predicates);
}

function conjunction(predicates: DocumentPredicate[]): DocumentPredicate {
  if (predicates.length === 0) return () => true;
  if (predicates.length === 1) return predicates[0] as DocumentPredicate;
  return (document) => predicates.every((predicate) => predicate(document));
}

function compileField(path: string, condition: unknown, options: MatchOptions): DocumentPredicate {
  const parts = path.split('.');
  const test = compileCondition(condition, options);
  return (document) => test(valuesAtPath(document, parts));
}

/** Compiles what a filter says about one field: a literal (equality), a regular expression, or operators. */
export function compileCondition(condition: unknown, options: MatchOptions, expand = true): ValuesTest {
  if (isRegularExpression(condition)) {
    const test = regexTest(regexSource(condition), regexFlags(condition));
    return expand ? (values) => expandArrays(values).some(test) : (values) => values.some(test);
  }
  if (isOperatorExpression(condition)) return compileOperators(condition, options, expand);
  const test = equalityTest(condition, options.collation?.compare);
  return expand ? (values) => expandArrays(values).some(test) : (values) => values.some(test);
}

function compileTopLevel(operator: string, operand: unknown, options: MatchOptions): DocumentPredicate {
  switch (operator) {
    case '$and':
    case '$or':
    case '$nor': {
      const clauses = logicalClauses(operand).map((clause) => compileMatch(clause, options));
      if (operator === '$and') return conjunction(clauses);
      if (operator === '$or') return (document) => clauses.some((clause) => clause(document));
      return (document) => !clauses.some((clause) => clause(document));
    }
    case '$expr':
      return compileExpressionTest(operand, options);
    case '$jsonSchema':
      return compileJsonSchema(operand);
    case '$comment':
      return () => true;
    case '$alwaysTrue':
    case '$alwaysFalse':
      if (!isNumeric(operand) || numericValue(operand) !== 1) throw badValue(`${operator} must be an integer value of 1`);
      return () => operator === '$alwaysTrue';
    case '$sampleRate': {
      const rate = isNumeric(operand) ? numericValue(operand) : Number.NaN;
      if (!(rate >= 0 && rate <= 1)) throw badValue('numeric argument to $sampleRate must be in [0, 1]');
      return () => Math.random() < rate;
    }
    case '$where':
    case '$text':
      throw notSupported(`the ${operator} query operator`);
    default:
      throw badValue(`unknown top level operator: ${operator}. If you have a field name that starts with a '$' symbol, consider using $getField or $setField.`);
  }
}

function logicalClauses(operand: unknown): Record<string, unknown>[] {
  if (!Array.isArray(operand) || operand.length === 0) throw badValue('$and/$or/$nor must be a nonempty array');
  for (const clause of operand) if (!isPlainObject(clause)) throw badValue('$or/$and/$nor entries need to be full objects');
  return operand as Record<string, unknown>[];
}
