import { isPlainObject, isSameValue, type StoredDocument } from '../../bson-values.js';
import { badValue, CommandError } from '../../command-error.js';
import { compareBson } from '../bson-order.js';
import { isNumeric, numericValue } from '../bson-numbers.js';
import { bsonTypeName } from '../type-operator.js';
import { buildRegExp } from './value-tests.js';

type SchemaTest = (value: unknown) => boolean;

const IGNORED = new Set(['title', 'description']);
const UNSUPPORTED = new Set(['$ref', '$schema', 'default', 'definitions', 'format', 'id']);
const JSON_TYPES: Record<string, (value: unknown) => boolean> = {
  object: isPlainObject,
  array: Array.isArray,
  number: isNumeric,
  boolean: (value) => typeof value === 'boolean',
  string: (value) => typeof value === 'string',
  null: (value) => value === null,
};
const NUMERIC_TYPES = new Set(['double', 'int', 'long', 'decimal']);

/**
 * MongoDB's `$jsonSchema` (draft 4 with `bsonType`, without `$ref`, `format` and `integer`, which MongoDB refuses
 * too): a document matches when it is valid against the schema. Keywords for a type apply only to values of it.
 */
export function compileJsonSchema(schema: unknown): (document: StoredDocument) => boolean {
  return compileSchema(schema, '');
}

function compileSchema(schema: unknown, path: string): SchemaTest {
  if (!isPlainObject(schema)) throw jsonSchemaError(`$jsonSchema${path ? ` at '${path}'` : ''} must be an object`);
  const tests: SchemaTest[] = [];
  for (const [keyword, argument] of Object.entries(schema)) {
    if (IGNORED.has(keyword) || keyword === 'additionalItems' || keyword === 'exclusiveMinimum' || keyword === 'exclusiveMaximum') continue;
    if (UNSUPPORTED.has(keyword)) throw jsonSchemaError(`$jsonSchema keyword '${keyword}' is not currently supported`);
    tests.push(compileKeyword(keyword, argument, schema, path));
  }
  return (value) => tests.every((test) => test(value));
}

function compileKeyword(keyword: string, argument: unknown, schema: Record<string, unknown>, path: string): SchemaTest {
  switch (keyword) {
    case 'type':
      return typeKeyword(argument, (name) => {
        if (name === 'integer') throw jsonSchemaError("$jsonSchema type 'integer' is not currently supported.");
        const test = JSON_TYPES[name];
        if (!test) throw jsonSchemaError(`Unknown $jsonSchema type: ${name}`);
        return test;
      });
    case 'bsonType':
      return typeKeyword(argument, (name) => (value) => {
        const actual = bsonTypeName(value);
        return actual === name || (name === 'number' && NUMERIC_TYPES.has(actual)) || (name === 'bool' && actual === 'bool');
      });
    case 'enum': {
      if (!Array.isArray(argument) || argument.length === 0) throw jsonSchemaError("$jsonSchema keyword 'enum' must be a non-empty array");
      return (value) => argument.some((item) => isSameType(item, value) && compareBson(item, value) === 0);
    }
    case 'minimum':
    case 'maximum': {
      const bound = numberArgument(keyword, argument);
      const exclusive = schema[keyword === 'minimum' ? 'exclusiveMinimum' : 'exclusiveMaximum'] === true;
      return whenNumber((number) => (keyword === 'minimum' ? (exclusive ? number > bound : number >= bound) : exclusive ? number < bound : number <= bound));
    }
    case 'multipleOf': {
      const divisor = numberArgument(keyword, argument);
      if (divisor <= 0) throw jsonSchemaError("$jsonSchema keyword 'multipleOf' must have a positive value");
      return whenNumber((number) => Number.isInteger(number / divisor));
    }
    case 'minLength':
    case 'maxLength': {
      const length = numberArgument(keyword, argument);
      return (value) => typeof value !== 'string' || (keyword === 'minLength' ? [...value].length >= length : [...value].length <= length);
    }
    case 'pattern': {
      if (typeof argument !== 'string') throw jsonSchemaError("$jsonSchema keyword 'pattern' must be a string");
      const regex = buildRegExp(argument, '');
      return (value) => typeof value !== 'string' || regex.test(value);
    }
    default:
      return compileStructuralKeyword(keyword, argument, schema, path);
  }
}

function compileStructuralKeyword(keyword: string, argument: unknown, schema: Record<string, unknown>, path: string): SchemaTest {
  switch (keyword) {
    case 'required': {
      if (!Array.isArray(argument) || argument.length === 0 || !argument.every((name) => typeof name === 'string')) {
        throw jsonSchemaError("$jsonSchema keyword 'required' must be a non-empty array of strings");
      }
      return whenObject((object) => argument.every((name: string) => Object.hasOwn(object, name)));
    }
    case 'properties': {
      if (!isPlainObject(argument)) throw jsonSchemaError("$jsonSchema keyword 'properties' must be an object");
      const properties = Object.entries(argument).map(([name, sub]) => [name, compileSchema(sub, join(path, name))] as const);
      return whenObject((object) => properties.every(([name, test]) => !Object.hasOwn(object, name) || test(object[name])));
    }
    case 'patternProperties':
    case 'additionalProperties':
      return additionalPropertiesTest(schema, path);
    case 'minProperties':
    case 'maxProperties': {
      const count = numberArgument(keyword, argument);
      return whenObject((object) => (keyword === 'minProperties' ? Object.keys(object).length >= count : Object.keys(object).length <= count));
    }
    case 'dependencies':
      return dependenciesTest(argument, path);
    case 'items':
      return itemsTest(argument, schema['additionalItems'], path);
    case 'minItems':
    case 'maxItems': {
      const count = numberArgument(keyword, argument);
      return (value) => !Array.isArray(value) || (keyword === 'minItems' ? value.length >= count : value.length <= count);
    }
    case 'uniqueItems':
      if (argument !== true) return () => true;
      return (value) => !Array.isArray(value) || value.every((item, index) => value.findIndex((other) => isSameType(item, other) && compareBson(item, other) === 0) === index);
    case 'allOf':
    case 'anyOf':
    case 'oneOf': {
      if (!Array.isArray(argument) || argument.length === 0) throw jsonSchemaError(`$jsonSchema keyword '${keyword}' must be a non-empty array`);
      const tests = argument.map((sub) => compileSchema(sub, path));
      if (keyword === 'allOf') return (value) => tests.every((test) => test(value));
      if (keyword === 'anyOf') return (value) => tests.some((test) => test(value));
      return (value) => tests.filter((test) => test(value)).length === 1;
    }
    case 'not': {
      const test = compileSchema(argument, path);
      return (value) => !test(value);
    }
    default:
      throw jsonSchemaError(`Unknown $jsonSchema keyword: ${keyword}`);
  }
}

function typeKeyword(argument: unknown, resolve: (name: string) => SchemaTest): SchemaTest {
  const names = Array.isArray(argument) ? argument : [argument];
  if (names.length === 0 || !names.every((name) => typeof name === 'string')) throw jsonSchemaError('$jsonSchema type must be a string or an array of strings');
  const tests = names.map((name: string) => resolve(name));
  return (value) => tests.some((test) => test(value));
}

function additionalPropertiesTest(schema: Record<string, unknown>, path: string): SchemaTest {
  const declared = isPlainObject(schema['properties']) ? Object.keys(schema['properties']) : [];
  const patterns = isPlainObject(schema['patternProperties'])
    ? Object.entries(schema['patternProperties']).map(([pattern, sub]) => [buildRegExp(pattern, ''), compileSchema(sub, path)] as const)
    : [];
  const additional = schema['additionalProperties'];
  const additionalTest = additional === undefined || additional === true ? () => true : additional === false ? () => false : compileSchema(additional, path);
  return whenObject((object) =>
    Object.entries(object).every(([name, value]) => {
      const matching = patterns.filter(([regex]) => regex.test(name));
      if (!matching.every(([, test]) => test(value))) return false;
      return declared.includes(name) || matching.length > 0 || additionalTest(value);
    }),
  );
}

function dependenciesTest(argument: unknown, path: string): SchemaTest {
  if (!isPlainObject(argument)) throw jsonSchemaError("$jsonSchema keyword 'dependencies' must be an object");
  const rules = Object.entries(argument).map(([name, dependency]) => {
    if (Array.isArray(dependency)) return [name, (object: Record<string, unknown>) => dependency.every((other: string) => Object.hasOwn(object, other))] as const;
    const test = compileSchema(dependency, path);
    return [name, (object: Record<string, unknown>) => test(object)] as const;
  });
  return whenObject((object) => rules.every(([name, test]) => !Object.hasOwn(object, name) || test(object)));
}

function itemsTest(argument: unknown, additionalItems: unknown, path: string): SchemaTest {
  if (Array.isArray(argument)) {
    const tests = argument.map((sub, index) => compileSchema(sub, join(path, String(index))));
    const rest = additionalItems === undefined || additionalItems === true ? () => true : additionalItems === false ? () => false : compileSchema(additionalItems, path);
    return (value) => !Array.isArray(value) || value.every((item, index) => (index < tests.length ? (tests[index] as SchemaTest)(item) : rest(item)));
  }
  const test = compileSchema(argument, path);
  return (value) => !Array.isArray(value) || value.every(test);
}

function whenObject(test: (object: Record<string, unknown>) => boolean): SchemaTest {
  return (value) => !isPlainObject(value) || test(value);
}

function whenNumber(test: (number: number) => boolean): SchemaTest {
  return (value) => !isNumeric(value) || test(numericValue(value));
}

function numberArgument(keyword: string, argument: unknown): number {
  if (!isNumeric(argument)) throw jsonSchemaError(`$jsonSchema keyword '${keyword}' must be a number`);
  return numericValue(argument);
}

function isSameType(left: unknown, right: unknown): boolean {
  return (isNumeric(left) && isNumeric(right)) || bsonTypeName(left) === bsonTypeName(right) || isSameValue(left, right);
}

function join(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

function jsonSchemaError(message: string): CommandError {
  return message.includes('not currently supported') ? new CommandError(9, 'FailedToParse', message) : badValue(message);
}
