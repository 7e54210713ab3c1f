import { isOperatorObject, isPlainObject, type StoredDocument } from '../../bson-values.js';
import { badValue, CommandError, notSupported } from '../../command-error.js';
import { isLookupValue } from '../../storage/collection-index.js';
import type { Collection } from '../../storage/collection.js';
import type { TextHit } from './text-postings.js';
import { textTerms, type TextLanguage } from './text-terms.js';

/** A `$text` query operand: what to search for, and in which language. */
export interface TextQuery {
  search: string;
  language: TextLanguage | undefined;
}

/** A filter split into its top-level `$text` operand and the rest, or `undefined` when it has no `$text`. */
export function splitTextFilter(filter: StoredDocument | undefined): { text: TextQuery; rest: StoredDocument } | undefined {
  if (!filter || !('$text' in filter)) return undefined;
  const { $text: operand, ...rest } = filter;
  return { text: parseTextOperand(operand), rest };
}

/**
 * The documents of a collection that a `$text` query finds through the collection's text index, each with its text
 * score (unordered). Like MongoDB, it needs a text index, and equality conditions on the fields the index has before
 * its text fields. Phrases (`"..."`) and negated terms (`-word`) are refused with NotImplemented.
 */
export function searchText(collection: Collection, query: TextQuery, filter: StoredDocument): { hits: TextHit[]; rest: StoredDocument } {
  const index = collection.textIndex;
  if (!index?.text) throw new CommandError(27, 'IndexNotFound', 'text index required for $text query');
  const rest = { ...filter };
  for (const field of index.text.prefixFields) {
    if (!isEquality(filter[field])) {
      throw new CommandError(
        2,
        'BadValue',
        'error processing query: planner returned error :: caused by :: failed to use text index to satisfy $text query (if text index is compound, are equality predicates given for all prefix fields?)',
      );
    }
    // The partition holds exactly the documents with these values: no need to test them again.
    delete rest[field];
  }
  const partition = index.text.partitionKey((field) => equalityValue(filter[field]));
  return { hits: index.text.search(partition, textTerms(query.search, query.language ?? index.text.language)), rest };
}

function parseTextOperand(operand: unknown): TextQuery {
  if (!isPlainObject(operand)) throw badValue('$text expects an object');
  const { $search: search, $language: language, $caseSensitive: caseSensitive, $diacriticSensitive: diacriticSensitive, ...others } = operand;
  const unknown = Object.keys(others)[0];
  if (unknown !== undefined) throw badValue(`extra fields in $text: ${unknown}`);
  if (typeof search !== 'string') throw badValue('$search required and must be a string');
  if (caseSensitive === true) throw notSupported('$caseSensitive: true in $text');
  if (diacriticSensitive === true) throw notSupported('$diacriticSensitive: true in $text');
  if (language !== undefined && language !== 'english' && language !== 'none') throw notSupported(`the $text language '${String(language)}' (english and none are)`);
  if (search.includes('"')) throw notSupported('phrases ("...") in $text');
  if (search.split(/\s+/).some((word) => word.startsWith('-') && word.length > 1)) throw notSupported('negated terms (-word) in $text');
  return { search, language };
}

function equalityValue(value: unknown): unknown {
  return isOperatorObject(value) && '$eq' in value ? value['$eq'] : value;
}

function isEquality(value: unknown): boolean {
  if (isLookupValue(value)) return true;
  return isOperatorObject(value) && Object.keys(value).length === 1 && isLookupValue(value['$eq']);
}
