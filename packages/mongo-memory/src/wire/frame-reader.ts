import { HEADER_SIZE, MAX_MESSAGE_SIZE, OP_CODE } from './wire-message.js';

/** A frame that breaks the wire protocol: the connection that sent it is closed. */
export class FrameError extends Error {
  override name = 'FrameError';
}

/** Frames up to this size are read without asking the {@link ReceiveBudget}, so small commands are never held up. */
export const SMALL_FRAME_BYTES = 1024 * 1024;

/**
 * Bytes of large frames that all connections of one server may hold at once while the frames arrive. A connection
 * whose next frame does not fit stops being read (TCP pushes back on its client) until earlier large frames are
 * complete: slow senders of large frames cost at most this much memory, and frames below {@link SMALL_FRAME_BYTES}
 * (every ordinary command, `ping`) go on meanwhile.
 */
export class ReceiveBudget {
  #available: number;
  readonly #waiting: Array<{ bytes: number; grant: () => void }> = [];

  constructor(readonly capacity: number = 2 * MAX_MESSAGE_SIZE) {
    this.#available = capacity;
  }

  /** Reserves `bytes` at once when they fit and nobody waits before; else calls `grant` when they do. */
  reserve(bytes: number, grant: () => void): boolean {
    if (this.#waiting.length === 0 && bytes <= this.#available) {
      this.#available -= bytes;
      return true;
    }
    this.#waiting.push({ bytes, grant });
    return false;
  }

  /** Gives back what a reservation held (its frame is complete, or its connection closed); grants waiters that fit. */
  release(bytes: number): void {
    this.#available += bytes;
    while (this.#waiting.length > 0 && (this.#waiting[0]?.bytes ?? 0) <= this.#available) {
      const next = this.#waiting.shift();
      if (!next) break;
      this.#available -= next.bytes;
      // Later, not inside the caller (another connection's reader, in the middle of its own frames).
      queueMicrotask(next.grant);
    }
  }

  /** Forgets a waiting reservation whose connection closed before it was granted. */
  cancel(grant: () => void): void {
    const index = this.#waiting.findIndex((waiting) => waiting.grant === grant);
    if (index >= 0) this.#waiting.splice(index, 1);
    this.release(0);
  }
}

/** Opcodes a client may send: OP_MSG and the legacy OP_QUERY of the handshake. Compression is not offered. */
const ACCEPTED_OP_CODES: ReadonlySet<number> = new Set([OP_CODE.message, OP_CODE.query]);
/** Received chunks smaller than this are gathered into buffers of {@link TAIL_BYTES}. */
const SMALL_CHUNK_BYTES = 16 * 1024;
const TAIL_BYTES = 64 * 1024;
/** The smallest well-formed OP_MSG: header, flags, one kind byte and an empty document. */
const MIN_MESSAGE_SIZE = HEADER_SIZE + 4 + 1 + 5;

/**
 * Splits one connection's byte stream into whole wire messages. Each header is checked as soon as its bytes are
 * there, before anything more of its frame is kept: a length outside 26 bytes..48 MB (`maxMessageSizeBytes`) or an
 * opcode other than OP_MSG and OP_QUERY fails with {@link FrameError}. Received chunks are kept in a list and joined
 * once, when the frame is complete, so a frame trickling in costs its size, not its size times its chunk count.
 */
export class FrameReader {
  readonly #chunks: Buffer[] = [];
  #buffered = 0;
  /** Length of the frame being received, once its header was read. */
  #expected: number | undefined;
  /** Bytes this reader holds of the budget (for the frame being received). */
  #reserved = 0;
  #waitingGrant: (() => void) | undefined;

  #disposed = false;
  /** Where small chunks are gathered (its first `#tailLength` bytes); they follow `#chunks`. */
  #tail: Buffer | undefined;
  #tailLength = 0;

  constructor(
    private readonly budget: ReceiveBudget,
    private readonly connection: {
      /** Stop reading the connection: its next large frame waits for the budget. */
      pause(): void;
      /** Read it again: the budget was granted. */
      resume(): void;
      /** Frames that became complete once the budget was granted. */
      frames(frames: Buffer[]): void;
      /** A frame that became invalid once the budget was granted. */
      fail(error: unknown): void;
    },
  ) {}

  /** Adds received bytes; returns the frames now complete, in order (possibly none). Throws {@link FrameError}. */
  push(chunk: Buffer): Buffer[] {
    // Small chunks (a slow trickle) are copied into one larger buffer as they come, so the list stays short.
    if (chunk.length < SMALL_CHUNK_BYTES && this.#buffered > 0) {
      if (this.#tail && this.#tailLength + chunk.length > this.#tail.length) this.#flushTail();
      this.#tail ??= Buffer.allocUnsafe(TAIL_BYTES);
      chunk.copy(this.#tail, this.#tailLength);
      this.#tailLength += chunk.length;
    } else {
      this.#flushTail();
      this.#chunks.push(chunk);
    }
    this.#buffered += chunk.length;
    return this.#drain();
  }

  /** Gives back the budget this connection held or waited for (call when it closes). */
  dispose(): void {
    this.#disposed = true;
    if (this.#waitingGrant) this.budget.cancel(this.#waitingGrant);
    this.#waitingGrant = undefined;
    this.budget.release(this.#reserved);
    this.#reserved = 0;
    this.#chunks.length = 0;
    this.#tail = undefined;
    this.#tailLength = 0;
    this.#buffered = 0;
  }

  #drain(): Buffer[] {
    const frames: Buffer[] = [];
    while (this.#waitingGrant === undefined) {
      if (this.#expected === undefined) {
        if (this.#buffered < 4) break;
        const length = this.#peek(Math.min(this.#buffered, HEADER_SIZE)).readInt32LE(0);
        if (length < MIN_MESSAGE_SIZE || length > MAX_MESSAGE_SIZE) throw new FrameError(`invalid message length ${length}`);
        if (this.#buffered < HEADER_SIZE) break;
        const opCode = this.#peek(HEADER_SIZE).readInt32LE(12);
        if (!ACCEPTED_OP_CODES.has(opCode)) throw new FrameError(`unsupported opCode ${opCode}`);
        this.#expected = length;
        if (length > SMALL_FRAME_BYTES && !this.#reserveFor(length)) break;
      }
      if (this.#buffered < this.#expected) break;
      frames.push(this.#take(this.#expected));
      this.#expected = undefined;
      this.budget.release(this.#reserved);
      this.#reserved = 0;
    }
    return frames;
  }

  #reserveFor(length: number): boolean {
    const grant = () => {
      if (this.#disposed) {
        this.budget.release(length);
        return;
      }
      this.#waitingGrant = undefined;
      this.#reserved = length;
      this.connection.resume();
      try {
        this.connection.frames(this.#drain());
      } catch (error) {
        this.connection.fail(error);
      }
    };
    if (this.budget.reserve(length, grant)) {
      this.#reserved = length;
      return true;
    }
    this.#waitingGrant = grant;
    this.connection.pause();
    return false;
  }

  #flushTail(): void {
    if (!this.#tail || this.#tailLength === 0) return;
    this.#chunks.push(this.#tail.subarray(0, this.#tailLength));
    this.#tail = undefined;
    this.#tailLength = 0;
  }

  /** The first `bytes` bytes, without consuming them (joins the first chunks when the header spans several). */
  #peek(bytes: number): Buffer {
    this.#flushTail();
    const first = this.#chunks[0] as Buffer;
    if (first.length >= bytes) return first;
    const joined = Buffer.concat(this.#chunks);
    this.#chunks.splice(0, this.#chunks.length, joined);
    return joined;
  }

  #take(bytes: number): Buffer {
    this.#flushTail();
    const parts: Buffer[] = [];
    let needed = bytes;
    while (needed > 0) {
      const chunk = this.#chunks[0] as Buffer;
      if (chunk.length <= needed) {
        parts.push(chunk);
        this.#chunks.shift();
        needed -= chunk.length;
      } else {
        parts.push(chunk.subarray(0, needed));
        this.#chunks[0] = chunk.subarray(needed);
        needed = 0;
      }
    }
    this.#buffered -= bytes;
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, bytes);
  }
}
