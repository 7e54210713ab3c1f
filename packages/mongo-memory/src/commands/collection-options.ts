import { isPlainObject, type StoredDocument } from '../bson-values.js';
import { badValue, CommandError, notSupported } from '../command-error.js';
import { isNumeric, numericValue } from '../query/bson-numbers.js';
import { parseCollation } from '../query/collation.js';
import { assertValidValidator } from './document-rules.js';

// Fields a driver adds to any command; they are not collection options.
const COMMAND_FIELDS = new Set(['$db', 'lsid', 'txnNumber', 'autocommit', 'startTransaction', '$clusterTime', '$readPreference', 'writeConcern', 'readConcern', 'comment', 'maxTimeMS', 'apiVersion', 'apiStrict', 'apiDeprecationErrors']);
const KEPT = new Set(['capped', 'size', 'max', 'validator', 'validationLevel', 'validationAction', 'collation', 'timeseries', 'expireAfterSeconds', 'clusteredIndex', 'changeStreamPreAndPostImages', 'storageEngine', 'indexOptionDefaults', 'autoIndexId']);
const GRANULARITY_SPANS: Record<string, number> = { seconds: 3_600, minutes: 86_400, hours: 2_592_000 };

/**
 * The options of a `create` command as MongoDB stores and lists them: checked (a capped collection needs a size, a
 * TTL needs a time-series or clustered collection), with defaults MongoDB fills in (the full collation, the
 * time-series granularity). Views are not implemented and are refused.
 */
export function parseCreateOptions(command: StoredDocument): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(command).slice(1)) {
    if (COMMAND_FIELDS.has(key)) continue;
    if (key === 'viewOn' || key === 'pipeline') throw notSupported('views (create with viewOn)');
    if (key === 'encryptedFields') throw notSupported('queryable encryption (encryptedFields)');
    if (!KEPT.has(key)) throw new CommandError(40415, 'Location40415', `BSON field 'create.${key}' is an unknown field.`);
    options[key] = value;
  }
  if (options['capped'] !== undefined) options['capped'] = isTrue(options['capped']);
  if (options['capped'] === true) {
    if (!isNumeric(options['size'])) throw new CommandError(72, 'InvalidOptions', "the 'size' field is required when 'capped' is true");
    if (numericValue(options['size']) <= 0) throw new CommandError(72, 'InvalidOptions', "the 'size' field must be positive");
  }
  if (options['collation'] !== undefined) {
    const collation = parseCollation(options['collation']);
    if (collation) options['collation'] = collation.specification;
    else delete options['collation'];
  }
  if (options['timeseries'] !== undefined) options['timeseries'] = parseTimeseries(options['timeseries']);
  if (options['clusteredIndex'] !== undefined) options['clusteredIndex'] = parseClusteredIndex(options['clusteredIndex']);
  if (options['expireAfterSeconds'] !== undefined) {
    if (options['timeseries'] === undefined && options['clusteredIndex'] === undefined) {
      throw new CommandError(72, 'InvalidOptions', "'expireAfterSeconds' is only supported on time-series collections or when the 'clusteredIndex' option is specified");
    }
    assertSeconds(options['expireAfterSeconds']);
  }
  validateValidation(options);
  return options;
}

/** Checks the document validation options of `create` and `collMod`. */
export function validateValidation(options: Record<string, unknown>): void {
  assertValidValidator(options['validator']);
  const level = options['validationLevel'];
  if (level !== undefined && level !== 'off' && level !== 'strict' && level !== 'moderate') {
    throw badValue(`Enumeration value '${String(level)}' for field 'validationLevel' is not a valid value.`);
  }
  const action = options['validationAction'];
  if (action !== undefined && action !== 'error' && action !== 'warn') {
    throw badValue(`Enumeration value '${String(action)}' for field 'validationAction' is not a valid value.`);
  }
}

/** Checks an `expireAfterSeconds` value (a non-negative number of seconds). */
export function assertSeconds(value: unknown): void {
  if (!isNumeric(value) || numericValue(value) < 0) throw new CommandError(72, 'InvalidOptions', "'expireAfterSeconds' must be a non-negative number of seconds");
}

function isTrue(value: unknown): boolean {
  return value === true || (isNumeric(value) && numericValue(value) !== 0);
}

function parseTimeseries(value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) throw new CommandError(14, 'TypeMismatch', "BSON field 'create.timeseries' is the wrong type, expected type 'object'");
  if (typeof value['timeField'] !== 'string') throw new CommandError(40414, 'Location40414', "BSON field 'create.timeseries.timeField' is missing but a required field");
  const granularity = value['granularity'] ?? 'seconds';
  if (typeof granularity !== 'string' || !(granularity in GRANULARITY_SPANS)) {
    throw badValue(`Enumeration value '${String(granularity)}' for field 'create.timeseries.granularity' is not a valid value.`);
  }
  const parsed: Record<string, unknown> = { timeField: value['timeField'] };
  if (value['metaField'] !== undefined) parsed['metaField'] = value['metaField'];
  parsed['granularity'] = granularity;
  parsed['bucketMaxSpanSeconds'] = value['bucketMaxSpanSeconds'] ?? GRANULARITY_SPANS[granularity];
  return parsed;
}

function parseClusteredIndex(value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) throw badValue("'clusteredIndex' must be an object");
  const key = value['key'];
  if (!isPlainObject(key) || Object.keys(key).length !== 1 || Object.keys(key)[0] !== '_id' || !isNumeric(key['_id']) || numericValue(key['_id']) !== 1) {
    throw new CommandError(6053700, 'Location6053700', "The clusteredIndex option is only supported for key: {_id: 1}");
  }
  if (value['unique'] !== true) throw new CommandError(6053701, 'Location6053701', "The clusteredIndex option requires 'unique: true'");
  return { v: 2, key: { _id: 1 }, name: typeof value['name'] === 'string' ? value['name'] : '_id_', unique: true };
}
