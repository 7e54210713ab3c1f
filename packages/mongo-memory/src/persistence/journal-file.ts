import { crc32 } from 'node:zlib';
import type { Document } from 'bson';
import { readDocument } from '../wire/wire-message.js';

const NAME = /^journal-(\d{16})\.log$/;
// Body length and CRC-32 of the body; the body starts with the record's sequence number (8 bytes).
const RECORD_HEADER = 8;
const SEQUENCE_SIZE = 8;

/** A journal file's name: the sequence number of its first record, zero-padded so names sort in order. */
export function journalFileName(firstSequence: number): string {
  return `journal-${String(firstSequence).padStart(16, '0')}.log`;
}

/** The first sequence number of a journal file's name, or `undefined` for any other file. */
export function journalFileSequence(name: string): number | undefined {
  const match = NAME.exec(name);
  return match ? Number(match[1]) : undefined;
}

/**
 * One journal record: `[body length: u32][CRC-32 of the body: u32][body]`, the body being the record's sequence
 * number (u64) followed by its changes, each an encoded BSON document. A record holds every change of the commands
 * that ran since the previous one, so a command's changes are on disk all together or not at all.
 */
export function encodeRecord(sequence: number, changes: readonly Uint8Array[]): Buffer {
  const bodyLength = SEQUENCE_SIZE + changes.reduce((total, change) => total + change.length, 0);
  const record = Buffer.allocUnsafe(RECORD_HEADER + bodyLength);
  record.writeUInt32LE(bodyLength, 0);
  record.writeBigUInt64LE(BigInt(sequence), RECORD_HEADER);
  let offset = RECORD_HEADER + SEQUENCE_SIZE;
  for (const change of changes) {
    record.set(change, offset);
    offset += change.length;
  }
  record.writeUInt32LE(crc32(record.subarray(RECORD_HEADER)), 4);
  return record;
}

/** A record read back: its sequence number and its changes (decoded as the engine decodes documents). */
export interface JournalRecord {
  sequence: number;
  changes: Document[];
}

/** What a journal file holds: its whole records, how many bytes they take, and what follows them if not a record. */
export interface JournalContents {
  records: JournalRecord[];
  /** Bytes from the start of the file to the end of the last whole, intact record. */
  validLength: number;
  /** Why the bytes after `validLength` are not a record (a torn write, damage), when there are any. */
  damage: string | undefined;
}

/** Reads a journal file's records up to the first one that is incomplete or fails its checksum. */
export function readJournal(buffer: Buffer): JournalContents {
  const records: JournalRecord[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const damage = recordDamage(buffer, offset);
    if (damage) return { records, validLength: offset, damage };
    const bodyLength = buffer.readUInt32LE(offset);
    const body = buffer.subarray(offset + RECORD_HEADER, offset + RECORD_HEADER + bodyLength);
    const sequence = Number(body.readBigUInt64LE(0));
    const changes: Document[] = [];
    try {
      for (let position = SEQUENCE_SIZE; position < body.length; ) {
        const { document, end } = readDocument(body, position);
        changes.push(document);
        position = end;
      }
    } catch (error) {
      return { records, validLength: offset, damage: `unreadable change at byte ${offset} (${error instanceof Error ? error.message : String(error)})` };
    }
    const previous = records[records.length - 1];
    if (previous && sequence <= previous.sequence) return { records, validLength: offset, damage: `record ${sequence} after record ${previous.sequence}` };
    records.push({ sequence, changes });
    offset += RECORD_HEADER + bodyLength;
  }
  return { records, validLength: offset, damage: undefined };
}

function recordDamage(buffer: Buffer, offset: number): string | undefined {
  if (offset + RECORD_HEADER > buffer.length) return `a truncated record header at byte ${offset}`;
  const bodyLength = buffer.readUInt32LE(offset);
  if (bodyLength < SEQUENCE_SIZE || offset + RECORD_HEADER + bodyLength > buffer.length) return `a truncated record at byte ${offset}`;
  const body = buffer.subarray(offset + RECORD_HEADER, offset + RECORD_HEADER + bodyLength);
  if (crc32(body) !== buffer.readUInt32LE(offset + 4)) return `a record whose checksum does not match at byte ${offset}`;
  return undefined;
}
