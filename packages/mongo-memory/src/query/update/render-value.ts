import { bsonTypeOf, isPlainObject } from '../../bson-values.js';

/**
 * A value written the way MongoDB writes BSON in error messages (`ObjectId('...')`, `"text"`, `{ a: 1 }`), so that
 * messages read like the server's.
 */
export function renderValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (value instanceof RegExp) return String(value);
  if (Array.isArray(value)) return `[ ${value.map(renderValue).join(', ')} ]`;
  if (isPlainObject(value)) {
    const fields = Object.entries(value).map(([key, field]) => `${key}: ${renderValue(field)}`);
    return fields.length === 0 ? '{}' : `{ ${fields.join(', ')} }`;
  }
  switch (bsonTypeOf(value)) {
    case 'ObjectId':
      return `ObjectId('${String(value)}')`;
    case 'Long':
      return `${String(value)}`;
    case 'Double':
      return `${String(value)}.0`;
    case 'Decimal128':
      return `NumberDecimal("${String(value)}")`;
    default:
      return String(value);
  }
}
