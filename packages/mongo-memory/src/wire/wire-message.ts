import { serialize, type Document } from 'bson';
import { isPlainObject } from '../bson-values.js';
import { decodeDocument } from '../decode-document.js';
import { EncodedDocuments } from '../encoded-documents.js';

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
// ({@link EncodedDocuments}) is spliced in as the bytes its documents were encoded to.
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
    const bytes = serialize(run, SERIALIZE_OPTIONS);
    chunks.push(bytes.subarray(4, bytes.length - 1));
    length += bytes.length - 5;
    run = undefined;
  };
  for (const key of Object.keys(document)) {
    const value: unknown = document[key];
    if (value instanceof EncodedDocuments) {
      flush();
      length += appendElementName(BSON_ARRAY, key, chunks);
      length += appendArray(value, chunks);
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

// Whether a document holds encoded documents in a field, or (depth 1) in a field of an embedded document, as
// `{ cursor: { firstBatch } }` does.
function holdsEncoded(document: Document, depth: number): boolean {
  for (const key in document) {
    const value: unknown = document[key];
    if (value instanceof EncodedDocuments) return true;
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
