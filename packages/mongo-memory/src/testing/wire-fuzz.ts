import { serialize, type Document } from 'bson';

const OP_QUERY = 2004;
const OP_MSG = 2013;

/** A small seeded random number generator (mulberry32), so a failing fuzz run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** A well-formed OP_MSG: flags, a body section, optional document sequences. */
export function opMsgFrame(requestId: number, body: Document, sequences: Record<string, Document[]> = {}, flags = 0): Buffer {
  const sections: Buffer[] = [Buffer.from([0]), Buffer.from(serialize(body))];
  for (const [identifier, documents] of Object.entries(sequences)) {
    const payload = Buffer.concat([Buffer.from(`${identifier}\0`), ...documents.map((document) => Buffer.from(serialize(document)))]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(payload.length + 4);
    sections.push(Buffer.from([1]), size, payload);
  }
  const head = Buffer.alloc(20);
  head.writeUInt32LE(flags, 16);
  return withLength(Buffer.concat([head, ...sections]), requestId, OP_MSG);
}

/** A well-formed legacy OP_QUERY of a command (the drivers' first message). */
export function opQueryFrame(requestId: number, namespace: string, query: Document): Buffer {
  const flags = Buffer.alloc(4);
  const skipAndReturn = Buffer.alloc(8);
  skipAndReturn.writeInt32LE(-1, 4);
  const body = Buffer.concat([flags, Buffer.from(`${namespace}\0`), skipAndReturn, Buffer.from(serialize(query))]);
  return withLength(Buffer.concat([Buffer.alloc(16), body]), requestId, OP_QUERY);
}

function withLength(frame: Buffer, requestId: number, opCode: number): Buffer {
  frame.writeInt32LE(frame.length, 0);
  frame.writeInt32LE(requestId, 4);
  frame.writeInt32LE(0, 8);
  frame.writeInt32LE(opCode, 12);
  return frame;
}

/** What one fuzz frame is, for the tallies a run prints. */
export type FuzzKind =
  | 'valid'
  | 'random bytes'
  | 'flipped bytes'
  | 'truncated'
  | 'message length'
  | 'section size'
  | 'overlapping sequence'
  | 'bad BSON length'
  | 'unknown opcode'
  | 'section kind'
  | 'flags';

/** Extreme values for a 32-bit length field: negative, zero, too small, just off, over the 48 MB limit. */
const LENGTH_VALUES = [-1, -16, -(2 ** 31), 0, 1, 4, 15, 16, 20, 25, 0x7fffffff, 48_000_001, 64 * 1024 * 1024];

/**
 * Builds random and mutated frames: each is a valid frame (ping, insert with a document sequence, find, the OP_QUERY
 * handshake) changed in one way, or random bytes. Returns the bytes and what was done to them.
 */
export function fuzzFrame(random: () => number, requestId: number): { kind: FuzzKind; bytes: Buffer } {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const int = (below: number) => Math.floor(random() * below);
  const base = pick([
    () => opMsgFrame(requestId, { ping: 1, $db: 'admin' }),
    () => opMsgFrame(requestId, { insert: 'fuzz', $db: 'fuzz' }, { documents: [{ _id: requestId, text: 'x'.repeat(int(200)) }, { n: int(1000) }] }),
    () => opMsgFrame(requestId, { find: 'fuzz', filter: { n: { $gt: int(1000) } }, limit: 2, $db: 'fuzz' }),
    () => opQueryFrame(requestId, 'admin.$cmd', { isMaster: 1 }),
  ])();
  const kind = pick<FuzzKind>([
    'valid',
    'random bytes',
    'flipped bytes',
    'truncated',
    'message length',
    'section size',
    'overlapping sequence',
    'bad BSON length',
    'unknown opcode',
    'section kind',
    'flags',
  ]);
  const bytes = Buffer.from(base);
  const isMsg = bytes.readInt32LE(12) === OP_MSG;
  switch (kind) {
    case 'valid':
      return { kind, bytes };
    case 'random bytes': {
      const random = Buffer.alloc(int(300));
      for (let index = 0; index < random.length; index += 1) random[index] = int(256);
      // Half of them with a plausible length, so they get past the first check.
      if (random.length >= 4 && int(2) === 0) random.writeInt32LE(random.length, 0);
      return { kind, bytes: random };
    }
    case 'flipped bytes': {
      for (let flips = 1 + int(4); flips > 0; flips -= 1) bytes[int(bytes.length)] = int(256);
      return { kind, bytes };
    }
    case 'truncated':
      return { kind, bytes: bytes.subarray(0, int(bytes.length)) };
    case 'message length':
      bytes.writeInt32LE(int(3) === 0 ? bytes.length + 1 + int(64) : pick(LENGTH_VALUES), 0);
      return { kind, bytes };
    case 'section size':
    case 'overlapping sequence': {
      if (!isMsg) return { kind, bytes: bytes.subarray(0, Math.max(4, int(bytes.length))) };
      // The body's size (at 21) or, with a sequence, the sequence's size (after the body).
      const bodyEnd = 21 + bytes.readInt32LE(21);
      const hasSequence = bodyEnd + 5 <= bytes.length;
      const at = hasSequence && (kind === 'overlapping sequence' || int(2) === 0) ? bodyEnd + 1 : 21;
      const size = bytes.readInt32LE(at);
      bytes.writeInt32LE(kind === 'overlapping sequence' ? size + 1 + int(40) : pick([...LENGTH_VALUES, size - 1, size + 1, -size]), at);
      return { kind, bytes };
    }
    case 'bad BSON length': {
      // A length inside a document: its first element's, or the document's own.
      const at = isMsg ? 21 + pick([0, 4 + 1 + int(8)]) : bytes.indexOf(0, 20) + 9;
      if (at + 4 <= bytes.length) bytes.writeInt32LE(pick([...LENGTH_VALUES, bytes.readInt32LE(at) + 1]), at);
      return { kind, bytes };
    }
    case 'unknown opcode':
      bytes.writeInt32LE(pick([0, 1, 2001, 2002, 2005, 2006, 2007, 2010, 2011, 2012, 2014, -1, int(0x7fffffff)]), 12);
      return { kind, bytes };
    case 'section kind':
      if (isMsg) bytes[20] = pick([2, 3, 255, int(256)]);
      return { kind, bytes };
    case 'flags':
      if (isMsg) bytes.writeUInt32LE(pick([1 << 2, 1 << 15, 0xffffffff, int(0x10000), 1]), 16);
      return { kind, bytes };
  }
}
