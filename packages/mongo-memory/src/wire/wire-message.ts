import { Long, serialize, type Document } from 'bson';
import { isPlainObject } from '../bson-values.js';
import { decodeDocument } from '../decode-document.js';
import { EncodedDocument, EncodedDocuments } from '../encoded-documents.js';

/** Opcodes of MongoDB's wire protocol that this server reads or writes. */
export const OP_CODE = { reply: 1, query: 2004, compressed: 2012, message: 2013 } as const;

/** The 16-byte header every wire message starts with. */
export interface MessageHeader {
  messageLength: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

/** Size of {@link MessageHeader} on the wire. */
export const HEADER_SIZE = 16;

/** Largest message accepted, as advertised in `hello` (`maxMessageSizeBytes`). */
export const MAX_MESSAGE_SIZE = 48_000_000;

/** Largest document a client may store, as advertised in `hello` (`maxBsonObjectSize`): 16 MB. */
export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;

/** Largest document in a message: a command may be 16 KB over {@link MAX_BSON_OBJECT_SIZE}, as in MongoDB. */
export const MAX_COMMAND_SIZE = MAX_BSON_OBJECT_SIZE + 16 * 1024;

/** Reads the header at the start of a message. */
export function readHeader(buffer: Buffer): MessageHeader {
  return {
    messageLength: buffer.readInt32LE(0),
    requestId: buffer.readInt32LE(4),
    responseTo: buffer.readInt32LE(8),
    opCode: buffer.readInt32LE(12),
  };
}

/** Decodes the BSON document at `offset`; returns it with the offset just past it. */
export function readDocument(buffer: Buffer, offset: number): { document: Document; end: number } {
  if (offset + 4 > buffer.length) throw new Error('truncated BSON document');
  const size = buffer.readInt32LE(offset);
  if (size < 5 || offset + size > buffer.length) throw new Error('invalid BSON document size');
  const document = decodeDocument(buffer.subarray(offset, offset + size));
  return { document, end: offset + size };
}

/**
 * A whole message: a header of `opCode`, the bytes of `prefix` (the flags and section kind of an OP_MSG, the fields
 * of an OP_REPLY), then the reply's BSON, written once into one buffer.
 */
export function encodeMessage(reply: Document, requestId: number, responseTo: number, opCode: number, prefix: Uint8Array): Buffer {
  const { chunks, length } = encodeReply(reply);
  const message = Buffer.allocUnsafe(HEADER_SIZE + prefix.length + length);
  message.writeInt32LE(message.length, 0);
  message.writeInt32LE(requestId, 4);
  message.writeInt32LE(responseTo, 8);
  message.writeInt32LE(opCode, 12);
  message.set(prefix, HEADER_SIZE);
  let offset = HEADER_SIZE + prefix.length;
  for (const chunk of chunks) {
    message.set(chunk, offset);
    offset += chunk.length;
  }
  return message;
}

const SERIALIZE_OPTIONS = { ignoreUndefined: true } as const;

// The BSON of a reply as chunks to write one after another: the reply's own fields are encoded, a cursor's batch
// ({@link EncodedDocuments}) and an {@link EncodedDocument} are spliced in as the bytes their documents were encoded to.
function encodeReply(reply: Document): { chunks: Uint8Array[]; length: number } {
  const chunks: Uint8Array[] = [];
  try {
    return { chunks, length: appendDocument(reply, chunks) };
  } catch (error) {
    // A reply that cannot be encoded (too large) still gets an answer, so the client does not wait forever.
    const errmsg = `reply could not be encoded: ${error instanceof Error ? error.message : String(error)}`;
    const bytes = serialize({ ok: 0, errmsg, code: 10334, codeName: 'BSONObjectTooLarge' });
    return { chunks: [bytes], length: bytes.length };
  }
}

const BSON_ARRAY = 0x04;
const BSON_DOCUMENT = 0x03;
const END_OF_DOCUMENT = Uint8Array.of(0);

// Appends a document's BSON to `chunks`; returns its length. Runs of ordinary fields are encoded by `bson` in one go
// (without their length and end byte); fields that hold encoded documents are written around those bytes. Fields
// keep their order.
function appendDocument(document: Document, chunks: Uint8Array[]): number {
  if (!holdsEncoded(document, 1)) {
    const bytes = serialize(document, SERIALIZE_OPTIONS);
    chunks.push(bytes);
    return bytes.length;
  }
  const size = Buffer.allocUnsafe(4);
  chunks.push(size);
  let length = 4;
  let run: Document | undefined;
  const flush = () => {
    if (!run) return;
    const bytes = encodeElements(run);
    chunks.push(bytes);
    length += bytes.length;
    run = undefined;
  };
  for (const key of Object.keys(document)) {
    const value: unknown = document[key];
    if (value instanceof EncodedDocuments) {
      flush();
      length += appendElementName(BSON_ARRAY, key, chunks);
      length += appendArray(value, chunks);
    } else if (value instanceof EncodedDocument) {
      flush();
      length += appendElementName(BSON_DOCUMENT, key, chunks);
      chunks.push(value.bytes);
      length += value.bytes.length;
    } else if (isPlainObject(value) && holdsEncoded(value, 0)) {
      flush();
      length += appendElementName(BSON_DOCUMENT, key, chunks);
      length += appendDocument(value, chunks);
    } else {
      run ??= {};
      Object.defineProperty(run, key, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  flush();
  chunks.push(END_OF_DOCUMENT);
  length += 1;
  size.writeInt32LE(length, 0);
  return length;
}

const LONG_PROTOTYPE: unknown = Long.prototype;
const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

// The elements of a run of a reply's own fields (a cursor's `id` and `ns`, `ok`, `lastErrorObject`...), without a
// document's length and end byte. Strings, numbers, booleans, null, int64 values and embedded documents of these
// (what such runs hold) are written here as `bson` would write them; anything else goes through `bson`.
function encodeElements(run: Document): Uint8Array {
  const keys = Object.keys(run);
  let size = 0;
  for (const key of keys) {
    const value: unknown = run[key];
    const valueSize = simpleValueSize(value);
    if (valueSize < 0) {
      const bytes = serialize(run, SERIALIZE_OPTIONS);
      return bytes.subarray(4, bytes.length - 1);
    }
    if (value !== undefined) size += 1 + Buffer.byteLength(key) + 1 + valueSize;
  }
  const bytes = Buffer.allocUnsafe(size);
  let offset = 0;
  for (const key of keys) {
    const value: unknown = run[key];
    if (value === undefined) continue;
    const typeAt = offset;
    offset = bytes.write(key, offset + 1) + offset + 1;
    bytes[offset] = 0;
    offset += 1;
    if (typeof value === 'string') {
      bytes[typeAt] = 0x02;
      const written = bytes.write(value, offset + 4);
      bytes.writeInt32LE(written + 1, offset);
      offset += 4 + written;
      bytes[offset] = 0;
      offset += 1;
    } else if (typeof value === 'number') {
      if (isInt32Number(value)) {
        bytes[typeAt] = 0x10;
        offset = bytes.writeInt32LE(value, offset);
      } else {
        bytes[typeAt] = 0x01;
        offset = bytes.writeDoubleLE(value, offset);
      }
    } else if (typeof value === 'boolean') {
      bytes[typeAt] = 0x08;
      bytes[offset] = value ? 1 : 0;
      offset += 1;
    } else if (value === null) {
      bytes[typeAt] = 0x0a;
    } else if (isPlainObject(value)) {
      bytes[typeAt] = BSON_DOCUMENT;
      const elements = encodeElements(value);
      bytes.writeInt32LE(elements.length + 5, offset);
      bytes.set(elements, offset + 4);
      offset += 4 + elements.length;
      bytes[offset] = 0;
      offset += 1;
    } else {
      const long = value as { low: number; high: number };
      bytes[typeAt] = 0x12;
      offset = bytes.writeInt32LE(long.low, offset);
      offset = bytes.writeInt32LE(long.high, offset);
    }
  }
  return bytes;
}

// The size of an embedded document of simple values (`lastErrorObject`), or -1 when it holds anything else.
function embeddedSize(document: Record<string, unknown>): number {
  let size = 4 + 1;
  for (const key of Object.keys(document)) {
    const valueSize = simpleValueSize(document[key]);
    if (valueSize < 0) return -1;
    if (document[key] !== undefined) size += 1 + Buffer.byteLength(key) + 1 + valueSize;
  }
  return size;
}

// As `bson` decides: a safe integer within int32's range (not -0) is an int32, any other number a double.
function isInt32Number(value: number): boolean {
  return Number.isSafeInteger(value) && value >= INT32_MIN && value <= INT32_MAX && !Object.is(value, -0);
}

// The size of a value's bytes after its element name, or -1 for a value {@link encodeElements} leaves to `bson`.
function simpleValueSize(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return 4 + Buffer.byteLength(value) + 1;
    case 'number':
      return isInt32Number(value) ? 4 : 8;
    case 'boolean':
      return 1;
    case 'undefined':
      return 0;
    case 'object':
      if (value === null) return 0;
      if (isPlainObject(value)) return embeddedSize(value);
      return (value as { _bsontype?: unknown })._bsontype === 'Long' && Object.getPrototypeOf(value) === LONG_PROTOTYPE ? 8 : -1;
    default:
      return -1;
  }
}

// Whether a document holds encoded documents in a field, or (depth 1) in a field of an embedded document, as
// `{ cursor: { firstBatch } }` does.
function holdsEncoded(document: Document, depth: number): boolean {
  for (const key in document) {
    const value: unknown = document[key];
    if (value instanceof EncodedDocuments || value instanceof EncodedDocument) return true;
    if (depth > 0 && isPlainObject(value) && holdsEncoded(value, depth - 1)) return true;
  }
  return false;
}

function appendElementName(type: number, key: string, chunks: Uint8Array[]): number {
  const name = Buffer.allocUnsafe(Buffer.byteLength(key) + 2);
  name[0] = type;
  name.write(key, 1);
  name[name.length - 1] = 0;
  chunks.push(name);
  return name.length;
}

// The element names of an array's documents: type 0x03, the index as a string, NUL.
const ARRAY_NAMES: Uint8Array[] = [];

function arrayName(index: number): Uint8Array {
  let name = ARRAY_NAMES[index];
  if (!name) {
    name = Buffer.from(`\x03${index}\x00`, 'latin1');
    if (index < 1024) ARRAY_NAMES[index] = name;
  }
  return name;
}

function appendArray(encoded: EncodedDocuments, chunks: Uint8Array[]): number {
  const size = Buffer.allocUnsafe(4);
  chunks.push(size);
  let length = 4;
  encoded.parts.forEach((part, index) => {
    const name = arrayName(index);
    chunks.push(name, part);
    length += name.length + part.length;
  });
  chunks.push(END_OF_DOCUMENT);
  length += 1;
  size.writeInt32LE(length, 0);
  return length;
}

/** Reads a NUL-terminated string at `offset`; returns it with the offset just past the NUL. */
export function readCString(buffer: Buffer, offset: number): { value: string; end: number } {
  const nul = buffer.indexOf(0, offset);
  if (nul < 0) throw new Error('unterminated string');
  return { value: buffer.toString('utf8', offset, nul), end: nul + 1 };
}
