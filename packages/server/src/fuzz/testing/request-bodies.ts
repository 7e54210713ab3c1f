import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import type { SeededRandom } from './seeded-random.js';

/** A body as sent: the bytes and the headers that describe them. */
export interface EncodedBody {
  bytes: Buffer;
  headers: Record<string, string>;
}

// Values that have broken servers before: operators, prototypes, wrong types, huge and odd strings.
const HOSTILE_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  12345,
  '',
  ' ',
  'x'.repeat(40_000),
  '\u0000',
  '\ud800',
  '😀'.repeat(50),
  '<script>alert(1)</script>',
  '{"$ne":null}',
  { $ne: null },
  { $gt: '' },
  { $where: 'sleep(1000)' },
  ['a', 'b'],
  [],
  {},
  { __proto__: { polluted: true } },
  { constructor: { prototype: { polluted: true } } },
  '000000000000000000000000',
  'ffffffffffffffffffffffff',
];

/** A mutation of a valid body: a field dropped, added, or replaced by a hostile value, or another shape entirely. */
export function mutateBody(body: Record<string, unknown>, random: SeededRandom): unknown {
  const keys = Object.keys(body);
  switch (random.integer(0, 6)) {
    case 0:
      return { ...body, [random.pick(['extra', '__proto__', 'constructor', '$where', 'userId', '_id'])]: random.pick(HOSTILE_VALUES) };
    case 1:
      if (keys.length === 0) return random.pick(HOSTILE_VALUES);
      return Object.fromEntries(Object.entries(body).filter(([key]) => key !== random.pick(keys)));
    case 2:
      if (keys.length === 0) return { [random.pick(['title', 'model', 'content'])]: random.pick(HOSTILE_VALUES) };
      return { ...body, [random.pick(keys)]: random.pick(HOSTILE_VALUES) };
    case 3:
      return random.pick(HOSTILE_VALUES);
    case 4:
      return nest(random.integer(1, 3000), random.chance(0.5));
    case 5:
      return [body];
    default:
      return Object.fromEntries(keys.map((key) => [key.toUpperCase(), body[key]]));
  }
}

function nest(depth: number, asArray: boolean): unknown {
  let value: unknown = 'deep';
  for (let level = 0; level < depth; level += 1) value = asArray ? [value] : { a: value };
  return value;
}

const RAW_TEXTS = ['', '{', '{"a":', 'null', '[]', '"text"', '{"a":1}garbage', '\u0000\u0001', '{"a":"\\ud800"}', 'title=hello', '<xml/>'];

const gzipBomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20));

/** The bytes of a JSON body in one of the ways clients, proxies and attackers send them (some over `limit`). */
export function encodeBody(value: unknown, random: SeededRandom, limit: number): EncodedBody {
  const json = Buffer.from(JSON.stringify(value) ?? 'null');
  const asJson = { 'Content-Type': 'application/json' };
  switch (random.chance(0.75) ? 0 : random.integer(1, 16)) {
    case 0:
      return { bytes: json, headers: asJson };
    case 1:
      return { bytes: gzipSync(json), headers: { ...asJson, 'Content-Encoding': 'gzip' } };
    case 2:
      return { bytes: deflateSync(json), headers: { ...asJson, 'Content-Encoding': 'deflate' } };
    case 3:
      return { bytes: brotliCompressSync(json), headers: { ...asJson, 'Content-Encoding': 'br' } };
    case 4:
      return { bytes: corrupt(gzipSync(json), random), headers: { ...asJson, 'Content-Encoding': random.pick(['gzip', 'deflate', 'br']) } };
    case 5:
      return { bytes: json, headers: { ...asJson, 'Content-Encoding': random.pick(['gzip', 'deflate', 'br', 'x-unknown', 'compress', 'gzip, br', 'identity, gzip', 'GZIP', '']) } };
    case 6:
      return { bytes: gzipBomb, headers: { ...asJson, 'Content-Encoding': 'gzip' } };
    case 7:
      return { bytes: json, headers: { 'Content-Type': random.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', ';;;', 'application/json; charset=utf-16', 'application/json; charset=latin1', 'application/json; charset=nope', 'application/merge-patch+json', 'application/vnd.api+json']) } };
    case 8:
      return { bytes: json, headers: {} };
    case 9:
      return { bytes: Buffer.from(random.pick(RAW_TEXTS)), headers: asJson };
    case 10:
      return { bytes: Buffer.from(JSON.stringify(value) ?? 'null', 'utf16le'), headers: { 'Content-Type': 'application/json; charset=utf-16le' } };
    case 11:
      return { bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json]), headers: asJson };
    case 12:
      return { bytes: Buffer.from(randomBytes(random, random.integer(1, 2000))), headers: asJson };
    case 13:
      return { bytes: Buffer.alloc(limit + random.integer(1, 1000), 0x20), headers: asJson };
    case 14:
      return { bytes: gzipSync(gzipSync(json)), headers: { ...asJson, 'Content-Encoding': 'gzip, gzip' } };
    case 15:
      return { bytes: Buffer.from(`${JSON.stringify(value)}`.replace(/"/g, "'")), headers: asJson };
    default:
      return { bytes: json, headers: { ...asJson, 'Transfer-Encoding': 'chunked' } };
  }
}

function corrupt(bytes: Buffer, random: SeededRandom): Buffer {
  const copy = Buffer.from(bytes);
  if (random.chance(0.5)) return copy.subarray(0, Math.max(1, random.integer(1, copy.length - 1)));
  for (let flips = 0; flips < 4; flips += 1) {
    const at = random.integer(0, copy.length - 1);
    copy[at] = copy[at]! ^ 0xff;
  }
  return copy;
}

function randomBytes(random: SeededRandom, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => random.integer(0, 255));
}
