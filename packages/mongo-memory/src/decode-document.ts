import { deserialize, type DBRef, type Document } from 'bson';
import { bsonTypeOf, isPlainObject } from './bson-values.js';
import { isInt32 } from './query/bson-numbers.js';

/**
 * Decodes a BSON document so that every number keeps its BSON type through the engine: int32 values become plain
 * numbers (which encode back as int32), doubles become plain numbers unless they hold a small integer (then a
 * `Double`, which a plain number would turn into an int32), and int64 values stay `Long`.
 */
export function decodeDocument(bytes: Uint8Array): Document {
  const document = deserialize(bytes, { promoteValues: false, validation: { utf8: false } });
  normalizeNumbers(document);
  return document;
}

function normalizeNumbers(container: Record<string, unknown> | unknown[]): void {
  for (const key of Object.keys(container)) {
    const value = (container as Record<string, unknown>)[key];
    const replacement = normalizeValue(value);
    if (replacement !== value) setOwn(container, key, replacement);
    else if (Array.isArray(value) || isPlainObject(value)) normalizeNumbers(value);
  }
}

function normalizeValue(value: unknown): unknown {
  switch (bsonTypeOf(value)) {
    case 'Int32':
      return (value as { value: number }).value;
    case 'Double': {
      const number = (value as { value: number }).value;
      return isInt32(number) ? value : number;
    }
    case 'BSONSymbol':
      return String((value as { value: string }).value);
    case 'DBRef':
      return plainDatabaseReference(value as DBRef);
    default:
      return value;
  }
}

// A field named `__proto__` must stay an own field (bson decodes it as one), not replace the prototype. Any other
// field is assigned: redefining every replaced number would turn the decoded objects into slow dictionaries.
function setOwn(container: Record<string, unknown> | unknown[], key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(container, key, { value, writable: true, enumerable: true, configurable: true });
  else (container as Record<string, unknown>)[key] = value;
}

// A DBRef is a document like any other to MongoDB's queries and updates (`members.$id`); its fields keep their names
// and encode back to the same bytes.
function plainDatabaseReference(reference: DBRef): Record<string, unknown> {
  const plain: Record<string, unknown> = { $ref: reference.collection, $id: reference.oid };
  if (reference.db) plain['$db'] = reference.db;
  for (const [key, value] of Object.entries(reference.fields)) plain[key] = value;
  normalizeNumbers(plain);
  return plain;
}
