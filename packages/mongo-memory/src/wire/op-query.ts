import type { Document } from 'bson';
import { encodeMessage, HEADER_SIZE, OP_CODE, readCString, readDocument } from './wire-message.js';

/** A decoded legacy OP_QUERY: drivers send one, the `isMaster` handshake, before switching to OP_MSG. */
export interface DecodedQuery {
  /** `database.collection`; commands go to `database.$cmd`. */
  namespace: string;
  query: Document;
}

/** Decodes an OP_QUERY (header included), unwrapping a `$query` envelope when present. */
export function decodeOpQuery(message: Buffer): DecodedQuery {
  const namespace = readCString(message, HEADER_SIZE + 4);
  const { document } = readDocument(message, namespace.end + 8);
  const query = document['$query'] && typeof document['$query'] === 'object' ? (document['$query'] as Document) : document;
  return { namespace: namespace.value, query };
}

/** Encodes the OP_REPLY that answers an OP_QUERY with one document. */
export function encodeOpReply(reply: Document, requestId: number, responseTo: number): Buffer {
  const fields = Buffer.alloc(20);
  fields.writeInt32LE(0, 0);
  fields.writeBigInt64LE(0n, 4);
  fields.writeInt32LE(0, 12);
  fields.writeInt32LE(1, 16);
  return encodeMessage(reply, requestId, responseTo, OP_CODE.reply, fields);
}
