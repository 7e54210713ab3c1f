import type { Document } from 'bson';
import { CommandError } from '../command-error.js';
import { decodeDocument } from '../decode-document.js';
import { FrameError } from './frame-reader.js';
import { encodeMessage, HEADER_SIZE, MAX_COMMAND_SIZE, OP_CODE } from './wire-message.js';

const CHECKSUM_PRESENT = 1 << 0;
const MORE_TO_COME = 1 << 1;

/** A decoded OP_MSG: its command with document sequences merged in, and whether the client wants no reply. */
export interface DecodedMessage {
  command: Document;
  moreToCome: boolean;
  /**
   * Set when a document in the message is larger than MongoDB lets one be (16 MB plus 16 KB of command overhead):
   * the message is well formed, so it is answered with this error (code 10334) instead of run, as MongoDB does.
   */
  tooLarge?: CommandError;
}

const EXHAUST_ALLOWED = 1 << 16;
/** Flag bits 0-15 are "required": a receiver must refuse a message with one it does not know. */
const REQUIRED_FLAG_BITS = 0xffff;
const KNOWN_FLAGS = CHECKSUM_PRESENT | MORE_TO_COME | EXHAUST_ALLOWED;

/**
 * Decodes an OP_MSG (header included). The kind-0 section is the command; each kind-1 section (a document
 * sequence, e.g. `documents` of an insert) becomes an array field of the command under its identifier.
 *
 * Every length is checked against what contains it before it is used: exactly one kind-0 section; each section
 * within the message (before the checksum, when there is one); a kind-1 section's identifier and documents within
 * that section; each document at least 5 bytes. Offsets only move forward, so no message can make this loop. A
 * message that breaks any of these, or holds bad BSON, throws {@link FrameError} (its connection is closed).
 */
export function decodeOpMsg(message: Buffer): DecodedMessage {
  if (message.length < HEADER_SIZE + 4 + 1 + 5) throw new FrameError('OP_MSG too short');
  const flags = message.readUInt32LE(HEADER_SIZE);
  if (flags & REQUIRED_FLAG_BITS & ~KNOWN_FLAGS) throw new FrameError(`OP_MSG with unknown required flags ${flags}`);
  // The optional CRC-32C checksum trails the sections; it is not verified (the socket is local).
  const end = flags & CHECKSUM_PRESENT ? message.length - 4 : message.length;
  let offset = HEADER_SIZE + 4;
  let body: Document | undefined;
  let tooLarge: CommandError | undefined;
  const sequences: Record<string, Document[]> = {};
  const documentAt = (position: number, limit: number): { document: Document | undefined; end: number } => {
    if (position + 4 > limit) throw new FrameError('truncated BSON document');
    const size = message.readInt32LE(position);
    if (size < 5 || size > limit - position) throw new FrameError(`BSON document size ${size} outside its section`);
    if (size > MAX_COMMAND_SIZE) {
      tooLarge ??= bsonObjectTooLarge(size);
      return { document: undefined, end: position + size };
    }
    return { document: decodeBson(message.subarray(position, position + size)), end: position + size };
  };
  while (offset < end) {
    const kind = message.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      if (body) throw new FrameError('OP_MSG with two body sections');
      const section = documentAt(offset, end);
      body = section.document ?? {};
      offset = section.end;
    } else if (kind === 1) {
      if (offset + 4 > end) throw new FrameError('truncated document sequence');
      const size = message.readInt32LE(offset);
      if (size < 4 + 1 || size > end - offset) throw new FrameError(`document sequence size ${size} outside the message`);
      const sectionEnd = offset + size;
      const nul = message.indexOf(0, offset + 4);
      if (nul < 0 || nul >= sectionEnd) throw new FrameError('document sequence identifier outside its section');
      const identifier = message.toString('utf8', offset + 4, nul);
      const documents = (sequences[identifier] ??= []);
      for (let position = nul + 1; position < sectionEnd; ) {
        const section = documentAt(position, sectionEnd);
        if (section.document) documents.push(section.document);
        position = section.end;
      }
      offset = sectionEnd;
    } else {
      throw new FrameError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new FrameError('OP_MSG without a body section');
  // Most commands have no document sequence: their body is the command as decoded.
  const command = Object.keys(sequences).length > 0 ? { ...body, ...sequences } : body;
  return { command, moreToCome: (flags & MORE_TO_COME) !== 0, ...(tooLarge ? { tooLarge } : {}) };
}

function decodeBson(bytes: Buffer): Document {
  try {
    return decodeDocument(bytes);
  } catch (error) {
    throw new FrameError(`invalid BSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** MongoDB's error for a BSON object over its size limit, with MongoDB's message. */
function bsonObjectTooLarge(size: number): CommandError {
  return new CommandError(
    10334,
    'BSONObjectTooLarge',
    `BSONObj size: ${size} (0x${size.toString(16).toUpperCase()}) is invalid. Size must be between 0 and ${MAX_COMMAND_SIZE}(16MB)`,
  );
}

// No flags, then the kind of the one section: 0, a body.
const REPLY_PREFIX = Uint8Array.of(0, 0, 0, 0, 0);

/** Encodes a reply as an OP_MSG with a single body section and no flags, in one buffer. */
export function encodeOpMsg(reply: Document, requestId: number, responseTo: number): Buffer {
  return encodeMessage(reply, requestId, responseTo, OP_CODE.message, REPLY_PREFIX);
}
