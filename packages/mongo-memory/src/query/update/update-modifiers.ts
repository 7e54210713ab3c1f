import { Timestamp } from 'bson';
import { cloneDocument, isPlainObject, isSameValue, type StoredDocument } from '../../bson-values.js';
import { badValue, CommandError } from '../../command-error.js';
import { compareBson } from '../bson-order.js';
import { combineNumbers, integerValue, isNumeric, makeLong, numberKind, numericValue } from '../bson-numbers.js';
import type { Collation } from '../collation.js';
import { compileCondition, compileMatch } from '../filter/compile-match.js';
import { isOperatorExpression } from '../filter/compile-operators.js';
import { isRegularExpression } from '../filter/value-tests.js';
import { bsonTypeName } from '../type-operator.js';
import { renderValue } from './render-value.js';

/** Returned by a modifier that leaves a value as it is. */
export const UNCHANGED: unique symbol = Symbol('unchanged');
/** Returned by a modifier that removes the field. */
export const REMOVE: unique symbol = Symbol('remove');

/** What a modifier sees when it is applied at one place of one document. */
export interface ModifierContext {
  /** The concrete path the update reached (`items.2.qty`). */
  path: string;
  /** The document as it was before the update (for `$rename` and error messages). */
  original: StoredDocument;
  isInsert: boolean;
  collation: Collation | undefined;
}

/** An update modifier at one path. */
export interface Modifier {
  operator: string;
  /** Applies to a value that exists; returns the new value, {@link REMOVE} or {@link UNCHANGED}. */
  applyExisting(current: unknown, context: ModifierContext): unknown;
  /** The value of a field that does not exist yet, or {@link UNCHANGED} when this modifier creates nothing. */
  createValue(context: ModifierContext): unknown;
}

/** Parses one `operator: { path: argument }` entry into the modifiers it puts in the tree (two for `$rename`). */
export function parseModifier(operator: string, path: string, argument: unknown): [string, Modifier][] {
  switch (operator) {
    case '$set':
      return [[path, setModifier(operator, argument, false)]];
    case '$setOnInsert':
      return [[path, setModifier(operator, argument, true)]];
    case '$unset':
      return [[path, { operator, applyExisting: () => REMOVE, createValue: () => UNCHANGED }]];
    case '$inc':
    case '$mul':
      return [[path, arithmeticModifier(operator, path, argument)]];
    case '$min':
    case '$max':
      return [[path, extremeModifier(operator, argument)]];
    case '$currentDate':
      return [[path, currentDateModifier(argument)]];
    case '$push':
      return [[path, pushModifier(argument)]];
    case '$addToSet':
      return [[path, addToSetModifier(argument)]];
    case '$pop':
      return [[path, popModifier(argument)]];
    case '$pull':
      return [[path, pullModifier(argument)]];
    case '$pullAll':
      return [[path, pullAllModifier(argument)]];
    case '$rename':
      return renameModifiers(path, argument);
    case '$bit':
      return [[path, bitModifier(path, argument)]];
    default:
      throw new CommandError(9, 'FailedToParse', `Unknown modifier: ${operator}. Expected a valid update modifier or pipeline-style update specified as an array`);
  }
}

function setModifier(operator: string, value: unknown, onInsertOnly: boolean): Modifier {
  return {
    operator,
    applyExisting: (current, context) => (onInsertOnly && !context.isInsert) || isSameValue(current, value) ? UNCHANGED : cloneDocument(value),
    createValue: (context) => (onInsertOnly && !context.isInsert ? UNCHANGED : cloneDocument(value)),
  };
}

function arithmeticModifier(operator: string, path: string, argument: unknown): Modifier {
  const verb = operator === '$inc' ? 'increment' : 'multiply';
  if (!isNumeric(argument)) throw new CommandError(14, 'TypeMismatch', `Cannot ${verb} with non-numeric argument: {${path}: ${renderValue(argument)}}`);
  const operation = operator === '$inc' ? 'add' : 'multiply';
  return {
    operator,
    applyExisting(current, context) {
      if (!isNumeric(current)) {
        throw new CommandError(
          14,
          'TypeMismatch',
          `Cannot apply ${operator} to a value of non-numeric type. {_id: ${renderValue(context.original['_id'])}} has the field '${lastPart(context.path)}' of non-numeric type ${bsonTypeName(current)}`,
        );
      }
      const result = combineNumbers(current, argument, operation);
      if (result === undefined) {
        throw badValue(`Failed to apply ${operator} operations to current value (${renderValue(current)}) for document {_id: ${renderValue(context.original['_id'])}}`);
      }
      return isSameValue(result, current) ? UNCHANGED : result;
    },
    createValue: () => (operation === 'add' ? argument : combineNumbers(0, argument, 'multiply')),
  };
}

function extremeModifier(operator: string, argument: unknown): Modifier {
  return {
    operator,
    applyExisting(current, context) {
      const order = compareBson(argument, current, context.collation?.compare);
      const replace = operator === '$min' ? order < 0 : order > 0;
      return replace ? cloneDocument(argument) : UNCHANGED;
    },
    createValue: () => cloneDocument(argument),
  };
}

function currentDateModifier(argument: unknown): Modifier {
  let asTimestamp = false;
  if (isPlainObject(argument)) {
    const type = argument['$type'];
    if (Object.keys(argument).length !== 1 || (type !== 'date' && type !== 'timestamp')) {
      throw badValue("The '$type' string field is required to be 'date' or 'timestamp': {$currentDate: {field : {$type: 'date'}}}");
    }
    asTimestamp = type === 'timestamp';
  } else if (typeof argument !== 'boolean') {
    throw badValue(`${bsonTypeName(argument)} is not valid type for $currentDate. Please use a boolean ('true') or a $type expression ({$type: 'timestamp/date'}).`);
  }
  const now = () => (asTimestamp ? new Timestamp({ t: Math.floor(Date.now() / 1000), i: 1 }) : new Date());
  return { operator: '$currentDate', applyExisting: () => now(), createValue: () => now() };
}

function requireArray(operator: string, current: unknown, context: ModifierContext): unknown[] {
  if (Array.isArray(current)) return current;
  if (operator === '$push') {
    throw badValue(`The field '${context.path}' must be an array but is of type ${bsonTypeName(current)} in document {_id: ${renderValue(context.original['_id'])}}`);
  }
  if (operator === '$addToSet') {
    throw badValue(`Cannot apply $addToSet to non-array field. Field named '${lastPart(context.path)}' has non-array type ${bsonTypeName(current)}`);
  }
  if (operator === '$pop') throw new CommandError(14, 'TypeMismatch', `Path '${context.path}' contains an element of non-array type '${bsonTypeName(current)}'`);
  throw badValue('Cannot apply $pull to a non-array value');
}

interface PushClauses {
  values: unknown[];
  slice?: number | undefined;
  sort?: unknown;
  position?: number | undefined;
}

function pushModifier(argument: unknown): Modifier {
  const clauses = parsePushClauses(argument);
  return {
    operator: '$push',
    applyExisting(current, context) {
      const array = requireArray('$push', current, context);
      const result = pushInto(array.slice(), clauses, context);
      return isSameValue(result, array) ? UNCHANGED : result;
    },
    createValue: (context) => pushInto([], clauses, context),
  };
}

function parsePushClauses(argument: unknown): PushClauses {
  if (!isPlainObject(argument) || !('$each' in argument)) return { values: [argument] };
  const known = ['$each', '$slice', '$sort', '$position'];
  for (const key of Object.keys(argument)) if (!known.includes(key)) throw badValue(`Unrecognized clause in $push: ${key}`);
  const each = argument['$each'];
  if (!Array.isArray(each)) throw badValue(`The argument to $each in $push must be an array but it was of type: ${bsonTypeName(each)}`);
  const slice = argument['$slice'];
  if (slice !== undefined && integerValue(slice) === undefined) throw badValue(`The value for $slice must be an integer value but was given type: ${bsonTypeName(slice)}`);
  const position = argument['$position'];
  if (position !== undefined && integerValue(position) === undefined) throw badValue(`The value for $position must be an integer value, not of type: ${bsonTypeName(position)}`);
  const sort = argument['$sort'];
  if (sort !== undefined) validatePushSort(sort);
  return {
    values: each,
    slice: slice === undefined ? undefined : Number(integerValue(slice)),
    sort,
    position: position === undefined ? undefined : Number(integerValue(position)),
  };
}

function validatePushSort(sort: unknown): void {
  if (isPlainObject(sort)) {
    if (Object.keys(sort).length === 0) throw badValue('The $sort pattern is empty when it should be a set of fields.');
    for (const direction of Object.values(sort)) {
      if (!isNumeric(direction) || Math.abs(numericValue(direction)) !== 1) throw badValue('The $sort element value must be either 1 or -1');
    }
  } else if (!isNumeric(sort) || Math.abs(numericValue(sort)) !== 1) {
    throw badValue(isNumeric(sort) ? 'The $sort element value must be either 1 or -1' : 'The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} to sort embedded fields');
  }
}

function pushInto(array: unknown[], clauses: PushClauses, context: ModifierContext): unknown[] {
  const values = clauses.values.map((value) => cloneDocument(value));
  const position = clauses.position ?? array.length;
  const start = position >= 0 ? Math.min(position, array.length) : Math.max(0, array.length + position);
  array.splice(start, 0, ...values);
  if (clauses.sort !== undefined) sortElements(array, clauses.sort, context.collation);
  if (clauses.slice !== undefined) {
    const limit = Math.abs(clauses.slice);
    if (array.length > limit) array.splice(0, array.length, ...(clauses.slice >= 0 ? array.slice(0, limit) : array.slice(array.length - limit)));
  }
  return array;
}

function sortElements(array: unknown[], sort: unknown, collation: Collation | undefined): void {
  const compare = collation?.compare;
  if (!isPlainObject(sort)) {
    const direction = numericValue(sort);
    array.sort((left, right) => direction * compareBson(left, right, compare));
    return;
  }
  const fields = Object.entries(sort).map(([path, direction]) => [path.split('.'), numericValue(direction)] as const);
  const keyOf = (element: unknown, parts: readonly string[]) => {
    let value: unknown = element;
    for (const part of parts) value = isPlainObject(value) ? value[part] : undefined;
    return value;
  };
  array.sort((left, right) => {
    for (const [parts, direction] of fields) {
      const order = compareBson(keyOf(left, parts), keyOf(right, parts), compare);
      if (order !== 0) return order * direction;
    }
    return 0;
  });
}

function addToSetModifier(argument: unknown): Modifier {
  let values = [argument];
  if (isPlainObject(argument) && '$each' in argument) {
    const extra = Object.keys(argument).filter((key) => key !== '$each');
    if (extra.length > 0) throw badValue(`Found unexpected fields after $each in $addToSet: ${renderValue(argument)}`);
    const each = argument['$each'];
    if (!Array.isArray(each)) throw badValue(`The argument to $each in $addToSet must be an array but it was of type ${bsonTypeName(each)}`);
    values = each;
  }
  const addMissing = (array: unknown[], context: ModifierContext) => {
    const result = array.slice();
    for (const value of values) {
      if (!result.some((element) => compareBson(element, value, context.collation?.compare) === 0)) result.push(cloneDocument(value));
    }
    return result;
  };
  return {
    operator: '$addToSet',
    applyExisting(current, context) {
      const array = requireArray('$addToSet', current, context);
      const result = addMissing(array, context);
      return result.length === array.length ? UNCHANGED : result;
    },
    createValue: (context) => addMissing([], context),
  };
}

function popModifier(argument: unknown): Modifier {
  const direction = isNumeric(argument) ? numericValue(argument) : Number.NaN;
  if (direction !== 1 && direction !== -1) throw new CommandError(9, 'FailedToParse', `$pop expects 1 or -1, found: ${renderValue(argument)}`);
  return {
    operator: '$pop',
    applyExisting(current, context) {
      const array = requireArray('$pop', current, context);
      if (array.length === 0) return UNCHANGED;
      return direction === 1 ? array.slice(0, -1) : array.slice(1);
    },
    createValue: () => UNCHANGED,
  };
}

/**
 * `$pull`'s condition, as MongoDB reads it: a document whose first field is not a path operator is a query that
 * array elements (documents) must match; an operator document or a regular expression tests each element as a
 * value; anything else is compared for equality.
 */
function pullModifier(argument: unknown): Modifier {
  const removes = (collation: Collation | undefined): ((element: unknown) => boolean) => {
    if (isPlainObject(argument) && !isOperatorExpression(argument) || (isPlainObject(argument) && isLogicalFirst(argument))) {
      const matches = compileMatch(argument, { collation });
      return (element) => isPlainObject(element) && matches(element);
    }
    if (isOperatorExpression(argument) || isRegularExpression(argument)) {
      const test = compileCondition(argument, { collation });
      return (element) => test([element]);
    }
    return (element) => compareBson(element, argument, collation?.compare) === 0 && sameClass(element, argument);
  };
  removes(undefined);
  return {
    operator: '$pull',
    applyExisting(current, context) {
      const array = requireArray('$pull', current, context);
      const remove = removes(context.collation);
      const kept = array.filter((element) => !remove(element));
      return kept.length === array.length ? UNCHANGED : kept;
    },
    createValue: () => UNCHANGED,
  };
}

function isLogicalFirst(argument: Record<string, unknown>): boolean {
  const [first] = Object.keys(argument);
  return first === '$and' || first === '$or' || first === '$nor' || first === '$expr' || first === '$where' || first === '$text' || first === '$comment';
}

function sameClass(left: unknown, right: unknown): boolean {
  return (isNumeric(left) && isNumeric(right)) || bsonTypeName(left) === bsonTypeName(right);
}

function pullAllModifier(argument: unknown): Modifier {
  if (!Array.isArray(argument)) throw badValue(`$pullAll requires an array argument but was given a ${bsonTypeName(argument)}`);
  return {
    operator: '$pullAll',
    applyExisting(current, context) {
      const array = requireArray('$pullAll', current, context);
      const kept = array.filter((element) => !argument.some((value) => sameClass(element, value) && compareBson(element, value, context.collation?.compare) === 0));
      return kept.length === array.length ? UNCHANGED : kept;
    },
    createValue: () => UNCHANGED,
  };
}

function renameModifiers(source: string, target: unknown): [string, Modifier][] {
  if (typeof target !== 'string') throw badValue(`The 'to' field for $rename must be a string: ${source}: ${renderValue(target)}`);
  if (source === target) throw badValue(`The source and target field for $rename must differ: ${source}: ${renderValue(target)}`);
  if (source.startsWith(`${target}.`) || target.startsWith(`${source}.`)) {
    throw badValue(`The source and target field for $rename must not be on the same path: ${source}: ${renderValue(target)}`);
  }
  if (source.split('.').some((part) => part.startsWith('$'))) throw badValue(`The source field for $rename may not be dynamic: ${source}`);
  if (target.split('.').some((part) => part.startsWith('$'))) throw badValue(`The destination field for $rename may not be dynamic: ${target}`);
  const read = (context: ModifierContext) => readRenameSource(context.original, source);
  return [
    [source, { operator: '$rename', applyExisting: () => REMOVE, createValue: () => UNCHANGED }],
    [
      target,
      {
        operator: '$rename',
        applyExisting: (current, context) => {
          const value = read(context);
          return value === UNCHANGED || isSameValue(value, current) ? UNCHANGED : value;
        },
        createValue: (context) => read(context),
      },
    ],
  ];
}

function readRenameSource(document: StoredDocument, source: string): unknown {
  let value: unknown = document;
  for (const part of source.split('.')) {
    if (Array.isArray(value)) throw badValue(`The source field cannot be an array element, '${source}' in doc with ${renderValue(document)} has an array field called '${part}'`);
    if (!isPlainObject(value) || !Object.hasOwn(value, part)) return UNCHANGED;
    value = value[part];
  }
  return cloneDocument(value);
}

function bitModifier(path: string, argument: unknown): Modifier {
  if (!isPlainObject(argument)) throw badValue(`The $bit modifier is not compatible with a ${bsonTypeName(argument)}. You must pass in an embedded document: {$bit: {field: {and/or/xor: #}}`);
  const operations = Object.entries(argument).map(([name, operand]) => {
    if (name !== 'and' && name !== 'or' && name !== 'xor') {
      throw badValue(`The $bit modifier only supports 'and', 'or', and 'xor', not '${name}' which is an unknown operator: {${name}: ${renderValue(operand)}}`);
    }
    const kind = numberKind(operand);
    if (kind !== 'int' && kind !== 'long') {
      throw badValue(`The $bit modifier field must be an Integer(32/64 bit); a '${bsonTypeName(operand)}' is not supported here: {${name}: ${renderValue(operand)}}`);
    }
    return [name, operand] as const;
  });
  const apply = (start: unknown) =>
    operations.reduce<unknown>((value, [name, operand]) => {
      const left = integerValue(value) as bigint;
      const right = integerValue(operand) as bigint;
      const result = name === 'and' ? left & right : name === 'or' ? left | right : left ^ right;
      return numberKind(value) === 'long' || numberKind(operand) === 'long' ? makeLong(BigInt.asIntN(64, result)) : Number(BigInt.asIntN(32, result));
    }, start);
  return {
    operator: '$bit',
    applyExisting(current, context) {
      const kind = numberKind(current);
      if (kind !== 'int' && kind !== 'long') {
        throw badValue(`Cannot apply $bit to a value of non-integral type.{_id: ${renderValue(context.original['_id'])}} has the field ${lastPart(path)} of non-integer type ${bsonTypeName(current)}`);
      }
      const result = apply(current);
      return isSameValue(result, current) ? UNCHANGED : result;
    },
    createValue: () => apply(0),
  };
}

function lastPart(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}
