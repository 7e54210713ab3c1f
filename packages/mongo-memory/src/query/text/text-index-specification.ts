import { isPlainObject } from '../../bson-values.js';
import { badValue, CommandError, notSupported } from '../../command-error.js';
import { isNumeric, numericValue } from '../bson-numbers.js';
import type { TextLanguage } from './text-terms.js';

/** An index specification (the fields this module reads and writes). */
type Specification = Record<string, unknown> & { key: Record<string, unknown> };

const LANGUAGES = new Set<string>(['english', 'none']);

/** Whether an index specification describes a text index, as given (`{ f: 'text' }`) or as stored (`_fts`). */
export function isTextIndex(specification: Specification): boolean {
  return '_fts' in specification.key || Object.values(specification.key).includes('text');
}

/**
 * A text index as MongoDB stores and lists it: the text fields become `_fts: 'text', _ftsx: 1` in the key (fields
 * before and after them stay), their weights go to `weights`, with `default_language`, `language_override` and
 * `textIndexVersion: 3`. A specification already in that form is returned as it is; any other index unchanged.
 */
export function normalizeTextIndex<S extends Specification>(specification: S): S {
  if (!isTextIndex(specification) || '_fts' in specification.key) return specification;
  const key: Record<string, unknown> = {};
  const weights: Record<string, number> = {};
  const given = isPlainObject(specification['weights']) ? specification['weights'] : {};
  let place: 'before' | 'text' | 'after' = 'before';
  for (const [field, kind] of Object.entries(specification.key)) {
    if (kind === 'text') {
      if (field === '$**') throw notSupported('a wildcard text index');
      if (place === 'after') throw new CommandError(67, 'CannotCreateIndex', 'the text fields of a compound index must be next to each other');
      weights[field] = 1;
      key['_fts'] = 'text';
      key['_ftsx'] = 1;
      place = 'text';
    } else {
      if (place !== 'before' && !isNumeric(kind)) throw notSupported(`a text index with a ${String(kind)} field`);
      if (place === 'text') place = 'after';
      key[field] = kind;
    }
  }
  for (const [field, weight] of Object.entries(given)) {
    if (!isNumeric(weight) || numericValue(weight) < 1 || numericValue(weight) > 99_999) throw badValue(`text index weight must be in the exclusive interval (0,100000) but found: ${String(weight)}`);
    weights[field] = numericValue(weight);
  }
  const language = specification['default_language'] ?? 'english';
  if (typeof language !== 'string' || !LANGUAGES.has(language)) throw notSupported(`the text index language '${String(language)}' (english and none are)`);
  return {
    ...specification,
    key,
    weights,
    default_language: language,
    language_override: specification['language_override'] ?? 'language',
    textIndexVersion: 3,
  };
}

/** The weighted fields and language of a text index in its stored form. */
export function textIndexFields(specification: Specification): { weights: Map<string, number>; language: TextLanguage } {
  const weights = isPlainObject(specification['weights']) ? specification['weights'] : {};
  return {
    weights: new Map(Object.entries(weights).map(([field, weight]) => [field, numericValue(weight)])),
    language: (specification['default_language'] as TextLanguage | undefined) ?? 'english',
  };
}
