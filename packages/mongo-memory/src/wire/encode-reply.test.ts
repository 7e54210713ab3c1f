import { Binary, deserialize, Long, ObjectId, serialize, type Document } from 'bson';
import { describe, expect, it } from 'vitest';
import { EncodedDocument, EncodedDocuments, encodeStoredDocument } from '../encoded-documents.js';
import { encodeOpMsg } from './op-msg.js';
import { encodeOpReply } from './op-query.js';
import { HEADER_SIZE, OP_CODE, readHeader } from './wire-message.js';

const stored: Document[] = [
  { _id: new ObjectId(), userId: new ObjectId(), title: 'a session', updatedAt: new Date(1_700_000_000_000), nested: { role: 'user', n: 2 } },
  { _id: 7, negativeZero: -0, double: 1.5, large: 2 ** 40, long: Long.fromString('9007199254740993'), bytes: new Binary(Buffer.from('hi')) },
  { _id: 'é€😀', list: [1, 'two', { three: 3 }], empty: {}, nothing: null },
];

// The bytes of a reply with encoded parts must be exactly those `bson` writes for the same reply with plain documents.
function expectSameBytes(withParts: Document, plain: Document): void {
  const message = encodeOpMsg(withParts, 11, 22);
  expect(readHeader(message)).toEqual({ messageLength: message.length, requestId: 11, responseTo: 22, opCode: OP_CODE.message });
  expect(message.readUInt32LE(HEADER_SIZE)).toBe(0);
  expect(message[HEADER_SIZE + 4]).toBe(0);
  expect(message.subarray(HEADER_SIZE + 5)).toEqual(Buffer.from(serialize(plain, { ignoreUndefined: true })));
}

describe('reply encoding', () => {
  it('splices a cursor batch of encoded documents into the bytes bson writes for the documents themselves', () => {
    const batch = new EncodedDocuments(
      stored.map((document) => encodeStoredDocument(document)),
      0,
    );
    expectSameBytes({ cursor: { firstBatch: batch, id: Long.ZERO, ns: 'db.sessions' }, ok: 1 }, { cursor: { firstBatch: stored, id: Long.ZERO, ns: 'db.sessions' }, ok: 1 });
    expectSameBytes({ ok: 1, cursor: { id: Long.fromNumber(42), ns: 'db.x', nextBatch: new EncodedDocuments([], 0) } }, { ok: 1, cursor: { id: Long.fromNumber(42), ns: 'db.x', nextBatch: [] } });
  });

  it('writes the reply’s own fields as bson does: int32 or double numbers, -0, strings, booleans, null, int64, embedded documents, left-out undefined', () => {
    const fields = { n: 1, negativeZero: -0, int32Max: 2 ** 31 - 1, beyondInt32: 2 ** 31, int32Min: -(2 ** 31), fraction: 0.25, text: 'é€😀', empty: '', yes: true, no: false, none: null, long: Long.fromNumber(-5) };
    expectSameBytes({ ...fields, skipped: undefined, value: new EncodedDocument(encodeStoredDocument(stored[0] as Document)), ok: 1 }, { ...fields, value: stored[0], ok: 1 });
    const nested = { lastErrorObject: { n: 1, updatedExisting: true }, deeper: { a: { b: { c: 'x', d: -0 } }, e: {} } };
    expectSameBytes({ ...nested, value: new EncodedDocument(encodeStoredDocument(stored[2] as Document)), ok: 1 }, { ...nested, value: stored[2], ok: 1 });
    expectSameBytes({ lastErrorObject: { n: 1, upserted: new ObjectId('0123456789abcdef01234567'), skipped: undefined }, value: null, ok: 1 }, { lastErrorObject: { n: 1, upserted: new ObjectId('0123456789abcdef01234567') }, value: null, ok: 1 });
    expectSameBytes({ when: new Date(5), id: new ObjectId('0123456789abcdef01234567'), value: new EncodedDocument(encodeStoredDocument(stored[1] as Document)) }, { when: new Date(5), id: new ObjectId('0123456789abcdef01234567'), value: stored[1] });
  });

  it('encodes a stored document once and gives the same bytes again; a reply without encoded parts is bson’s own', () => {
    const document = { _id: new ObjectId(), text: 'x' };
    expect(encodeStoredDocument(document)).toBe(encodeStoredDocument(document));
    expect(deserialize(encodeStoredDocument(document))).toEqual(document);
    expectSameBytes({ ok: 0, errmsg: 'no', code: 2, codeName: 'BadValue' }, { ok: 0, errmsg: 'no', code: 2, codeName: 'BadValue' });
  });

  it('answers a legacy OP_QUERY with an OP_REPLY holding the same document', () => {
    const batch = new EncodedDocuments([encodeStoredDocument(stored[2] as Document)], 0);
    const message = encodeOpReply({ cursor: { firstBatch: batch, id: Long.ZERO, ns: 'a.b' }, ok: 1 }, 3, 4);
    expect(readHeader(message)).toMatchObject({ messageLength: message.length, responseTo: 4, opCode: OP_CODE.reply });
    expect(message.readInt32LE(HEADER_SIZE + 16)).toBe(1);
    expect(message.subarray(HEADER_SIZE + 20)).toEqual(Buffer.from(serialize({ cursor: { firstBatch: [stored[2]], id: Long.ZERO, ns: 'a.b' }, ok: 1 })));
  });
});
