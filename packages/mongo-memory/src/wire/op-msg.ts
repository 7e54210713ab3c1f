import type { Document } from 'bson';
import { encodeDocument, HEADER_SIZE, OP_CODE, readCString, readDocument, withHeader } from './wire-message.js';

const CHECKSUM_PRESENT = 1 << 0;
const MORE_TO_COME = 1 << 1;

/** A decoded OP_MSG: its command with document sequences merged in, and whether the client wants no reply. */
export interface DecodedMessage {
  command: Document;
  moreToCome: boolean;
}

/**
 * Decodes an OP_MSG (header included). The kind-0 section is the command; each kind-1 section (a document
 * sequence, e.g. `documents` of an insert) becomes an array field of the command under its identifier.
 */
export function decodeOpMsg(message: Buffer): DecodedMessage {
  const flags = message.readUInt32LE(HEADER_SIZE);
  // The optional CRC-32C checksum trails the sections; it is not verified (TCP on loopback already is).
  const end = flags & CHECKSUM_PRESENT ? message.length - 4 : message.length;
  let offset = HEADER_SIZE + 4;
  let body: Document | undefined;
  const sequences: Record<string, Document[]> = {};
  while (offset < end) {
    const kind = message.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      const section = readDocument(message, offset);
      body = section.document;
      offset = section.end;
    } else if (kind === 1) {
      const sectionEnd = offset + message.readInt32LE(offset);
      const identifier = readCString(message, offset + 4);
      const documents: Document[] = [];
      for (let position = identifier.end; position < sectionEnd; ) {
        const section = readDocument(message, position);
        documents.push(section.document);
        position = section.end;
      }
      sequences[identifier.value] = [...(sequences[identifier.value] ?? []), ...documents];
      offset = sectionEnd;
    } else {
      throw new Error(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new Error('OP_MSG without a body section');
  return { command: { ...body, ...sequences }, moreToCome: (flags & MORE_TO_COME) !== 0 };
}

/** Encodes a reply as an OP_MSG with a single body section and no flags. */
export function encodeOpMsg(reply: Document, requestId: number, responseTo: number): Buffer {
  const flags = Buffer.alloc(4);
  const kind = Buffer.from([0]);
  return withHeader(Buffer.concat([flags, kind, encodeDocument(reply)]), requestId, responseTo, OP_CODE.message);
}
