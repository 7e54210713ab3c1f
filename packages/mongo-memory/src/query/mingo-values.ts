import { bsonTypeOf, isPlainObject, setField } from '../bson-values.js';
import { numberKind, numericValue } from './bson-numbers.js';

/**
 * A copy of a value that mingo's expression operators can compute with: `Long` and `Double` objects (which the
 * engine keeps so numbers return with their BSON type) become JavaScript numbers; everything else is shared.
 */
export function toMingoValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toMingoValue);
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) setField(copy, key, toMingoValue(value[key]));
    return copy;
  }
  const kind = numberKind(value);
  if (kind === 'long' || (kind === 'double' && typeof value !== 'number') || bsonTypeOf(value) === 'Int32') return numericValue(value);
  return value;
}

/**
 * Gives the numbers of a result computed by mingo back their BSON types where the result still holds the value the
 * source had at the same place (a pipeline update, or an aggregation that kept a document's fields), so an int64 or
 * a double is not returned as an int32 only because it went through mingo.
 */
export function restoreNumberTypes(result: unknown, source: unknown): unknown {
  if (typeof result === 'number') {
    const kind = numberKind(source);
    return (kind === 'long' || (kind === 'double' && typeof source !== 'number')) && numericValue(source) === result ? source : result;
  }
  if (Array.isArray(result)) {
    return Array.isArray(source) ? result.map((item, index) => restoreNumberTypes(item, source[index])) : result;
  }
  if (isPlainObject(result) && isPlainObject(source)) {
    for (const key of Object.keys(result)) {
      if (Object.hasOwn(source, key)) setField(result, key, restoreNumberTypes(result[key], source[key]));
    }
  }
  return result;
}
