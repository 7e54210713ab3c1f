import { serialize, type Document } from 'bson';
import { decodeDocument } from '../decode-document.js';

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

/** Writes a header in front of a message body. */
export function withHeader(body: Buffer, requestId: number, responseTo: number, opCode: number): Buffer {
  const header = Buffer.alloc(HEADER_SIZE);
  header.writeInt32LE(HEADER_SIZE + body.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(opCode, 12);
  return Buffer.concat([header, body]);
}

/** Decodes the BSON document at `offset`; returns it with the offset just past it. */
export function readDocument(buffer: Buffer, offset: number): { document: Document; end: number } {
  if (offset + 4 > buffer.length) throw new Error('truncated BSON document');
  const size = buffer.readInt32LE(offset);
  if (size < 5 || offset + size > buffer.length) throw new Error('invalid BSON document size');
  const document = decodeDocument(buffer.subarray(offset, offset + size));
  return { document, end: offset + size };
}

/** Encodes a reply document; `undefined` fields are left out, as a MongoDB server never sends them. */
export function encodeDocument(document: Document): Buffer {
  try {
    return Buffer.from(serialize(document, { ignoreUndefined: true }));
  } catch (error) {
    // A reply that cannot be encoded (too large) still gets an answer, so the client does not wait forever.
    const errmsg = `reply could not be encoded: ${error instanceof Error ? error.message : String(error)}`;
    return Buffer.from(serialize({ ok: 0, errmsg, code: 10334, codeName: 'BSONObjectTooLarge' }));
  }
}

/** Reads a NUL-terminated string at `offset`; returns it with the offset just past the NUL. */
export function readCString(buffer: Buffer, offset: number): { value: string; end: number } {
  const nul = buffer.indexOf(0, offset);
  if (nul < 0) throw new Error('unterminated string');
  return { value: buffer.toString('utf8', offset, nul), end: nul + 1 };
}
