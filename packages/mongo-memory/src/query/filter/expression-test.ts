import { evalExpr } from 'mingo/core';
import type { AnyObject } from 'mingo/types';
import type { StoredDocument } from '../../bson-values.js';
import { badValue, CommandError, notSupported } from '../../command-error.js';
import { isNumeric, numericValue } from '../bson-numbers.js';
import { mingoOptions } from '../mingo-options.js';
import { toMingoValue } from '../mingo-values.js';
import type { MatchOptions } from './compile-match.js';

/**
 * `$expr`: an aggregation expression evaluated (by mingo) on each document, true when its result is truthy in
 * MongoDB's sense (not false, null, missing or zero). Under a non-simple collation string comparisons inside the
 * expression would be wrong, so that combination is refused.
 */
export function compileExpressionTest(expression: unknown, options: MatchOptions): (document: StoredDocument) => boolean {
  if (options.collation) throw notSupported('$expr with a collation');
  const settings = mingoOptions();
  return (document) => {
    try {
      return isTruthy(evalExpr(toMingoValue(document) as AnyObject, expression, settings));
    } catch (error) {
      if (error instanceof CommandError) throw error;
      throw badValue(error instanceof Error ? error.message : String(error));
    }
  };
}

function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (isNumeric(value)) return numericValue(value) !== 0;
  return true;
}
