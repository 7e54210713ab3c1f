import { isPlainObject } from '../bson-values.js';
import { badValue, CommandError, notSupported } from '../command-error.js';

/** A collation in force for a command: how strings compare, and the specification MongoDB reports for it. */
export interface Collation {
  /** Compares two strings as the collation orders them (0 when the collation holds them equal). */
  compare(left: string, right: string): number;
  /** The full specification, with MongoDB's defaults filled in, as `listCollections` and `listIndexes` show it. */
  readonly specification: Record<string, unknown>;
}

const FIELDS = ['locale', 'caseLevel', 'caseFirst', 'strength', 'numericOrdering', 'alternate', 'maxVariable', 'normalization', 'backwards', 'version'];
const ICU_VERSION = '57.1';

/**
 * Parses a `collation` argument. `undefined` (and `{ locale: 'simple' }`) mean binary comparison of strings; any other
 * locale compares through `Intl.Collator` (ICU, as MongoDB). Options ICU offers but `Intl.Collator` cannot follow
 * (`backwards`, `alternate: 'shifted'` with `maxVariable: 'space'`) are refused rather than approximated.
 */
export function parseCollation(value: unknown): Collation | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) throw new CommandError(14, 'TypeMismatch', "BSON field 'collation' is the wrong type, expected type 'object'");
  for (const key of Object.keys(value)) {
    if (!FIELDS.includes(key)) throw new CommandError(40415, 'Location40415', `BSON field 'collation.${key}' is an unknown field.`);
  }
  const locale = value['locale'];
  if (typeof locale !== 'string') throw new CommandError(40414, 'Location40414', "BSON field 'collation.locale' is missing but a required field");
  if (locale === 'simple') {
    if (Object.keys(value).length > 1) throw badValue('If "locale" is set to "simple", no other fields may be set');
    return undefined;
  }
  const specification = completeSpecification(value, locale);
  return { compare: buildComparator(specification), specification };
}

/** The collation of a command: its own `collation` argument, or else the collection's default one. */
export function resolveCollation(argument: unknown, collectionDefault: unknown): Collation | undefined {
  if (argument !== undefined && argument !== null) return parseCollation(argument);
  return parseCollation(collectionDefault);
}

function completeSpecification(value: Record<string, unknown>, locale: string): Record<string, unknown> {
  const strength = value['strength'] ?? 3;
  if (typeof strength !== 'number' || !Number.isInteger(strength) || strength < 1 || strength > 5) {
    throw badValue(`Field 'strength' must be an integer 1 through 5. Got: ${String(strength)}`);
  }
  const caseFirst = value['caseFirst'] ?? 'off';
  if (caseFirst !== 'off' && caseFirst !== 'upper' && caseFirst !== 'lower') throw badValue(`Field 'caseFirst' must be 'upper', 'lower' or 'off'. Got: ${String(caseFirst)}`);
  const alternate = value['alternate'] ?? 'non-ignorable';
  if (alternate !== 'non-ignorable' && alternate !== 'shifted') throw badValue(`Field 'alternate' must be 'non-ignorable' or 'shifted'. Got: ${String(alternate)}`);
  const maxVariable = value['maxVariable'] ?? 'punct';
  if (maxVariable !== 'punct' && maxVariable !== 'space') throw badValue(`Field 'maxVariable' must be 'punct' or 'space'. Got: ${String(maxVariable)}`);
  if (value['backwards'] === true) throw notSupported("collation option 'backwards'");
  if (alternate === 'shifted' && maxVariable === 'space') throw notSupported("collation option maxVariable 'space'");
  const tag = locale.replace(/_/g, '-');
  if (!isKnownLocale(tag)) throw badValue(`Field 'locale' is invalid in: { locale: "${locale}" }`);
  return {
    locale,
    caseLevel: value['caseLevel'] === true,
    caseFirst,
    strength,
    numericOrdering: value['numericOrdering'] === true,
    alternate,
    maxVariable,
    normalization: value['normalization'] === true,
    backwards: false,
    version: ICU_VERSION,
  };
}

function isKnownLocale(tag: string): boolean {
  try {
    return Intl.Collator.supportedLocalesOf([tag]).length > 0;
  } catch {
    return false;
  }
}

function buildComparator(specification: Record<string, unknown>): (left: string, right: string) => number {
  const strength = specification['strength'] as number;
  const caseLevel = specification['caseLevel'] === true;
  const sensitivity = strength === 1 ? (caseLevel ? 'case' : 'base') : strength === 2 ? (caseLevel ? 'variant' : 'accent') : 'variant';
  const collator = new Intl.Collator(String(specification['locale']).replace(/_/g, '-'), {
    usage: 'sort',
    sensitivity,
    numeric: specification['numericOrdering'] === true,
    caseFirst: specification['caseFirst'] === 'off' ? 'false' : (specification['caseFirst'] as 'upper' | 'lower'),
    ignorePunctuation: specification['alternate'] === 'shifted',
  });
  return (left, right) => collator.compare(left, right);
}
