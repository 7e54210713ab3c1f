import type { Socket } from 'node:net';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMongoMemory, type MongoMemoryServer } from '../index.js';
import { CLIENT_TIMEOUTS } from '../testing/conformance-clients.js';
import { rawSocket } from '../testing/raw-connection.js';
import { fuzzFrame, opMsgFrame, seededRandom, type FuzzKind } from '../testing/wire-fuzz.js';

/**
 * The short form runs in `npm test`; `WIRE_FUZZ_FRAMES=200000` (`npm run fuzz:wire`) is the long form. Each run
 * prints its seed (`WIRE_FUZZ_SEED` replays it) and the latency of the pings between batches: figures, not
 * assertions (speed is measured, not asserted, on shared machines).
 */
const FRAMES = Number(process.env['WIRE_FUZZ_FRAMES'] ?? 10_000);
const SEED = Number(process.env['WIRE_FUZZ_SEED'] ?? 20_261_201);
const BATCH = 500;
const FRAMES_PER_CONNECTION = 8;
const PARALLEL_CONNECTIONS = 16;

let server: MongoMemoryServer;
let client: MongoClient;

beforeAll(async () => {
  server = await startMongoMemory();
  client = await new MongoClient(`${server.uri}fuzz`, CLIENT_TIMEOUTS).connect();
});
afterAll(async () => {
  await client?.close();
  await server?.stop();
});

/** Writes bytes on a new connection, ends it, and resolves once the server closed it (answered or refused). */
async function sendAndClose(bytes: Buffer): Promise<void> {
  const socket = await rawSocket(server.uri);
  socket.on('data', () => undefined);
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.end(bytes);
  await closed;
}

/** Sends `bytes` a slice at a time, a macrotask apart, while other clients are served; resolves when all is sent. */
async function trickle(socket: Socket, bytes: Buffer, sliceBytes: number, stop: () => boolean = () => false): Promise<void> {
  for (let offset = 0; offset < bytes.length && !socket.destroyed && !stop(); offset += sliceBytes) {
    socket.write(bytes.subarray(offset, offset + sliceBytes));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function timedPing(): Promise<number> {
  const started = performance.now();
  expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
  return performance.now() - started;
}

describe('the wire protocol under malformed frames', () => {
  it(`closes the connection of each bad frame and keeps answering others: ${FRAMES} random and mutated frames`, async () => {
    const random = seededRandom(SEED);
    const tally = new Map<FuzzKind | 'trickled (MB)', number>();
    const pings: number[] = [];
    let requestId = 1;
    for (let sent = 0; sent < FRAMES; ) {
      // A slow sender of a large frame (up to the 48 MB limit) that never finishes it, during the whole batch.
      const trickler = await rawSocket(server.uri);
      trickler.on('error', () => undefined);
      const declared = Buffer.alloc(16);
      declared.writeInt32LE(1_000_000 + Math.floor(random() * 46_000_000), 0);
      declared.writeInt32LE(2013, 12);
      let batchDone = false;
      const trickling = trickle(trickler, Buffer.concat([declared, Buffer.alloc(8 * 1024 * 1024)]), 16 * 1024, () => batchDone);

      const connections: Buffer[] = [];
      for (let inBatch = 0; inBatch < BATCH && sent < FRAMES; sent += FRAMES_PER_CONNECTION, inBatch += FRAMES_PER_CONNECTION) {
        const frames = Array.from({ length: Math.min(FRAMES_PER_CONNECTION, FRAMES - sent) }, () => {
          const frame = fuzzFrame(random, (requestId += 1));
          tally.set(frame.kind, (tally.get(frame.kind) ?? 0) + 1);
          return frame.bytes;
        });
        connections.push(Buffer.concat(frames));
      }
      for (let index = 0; index < connections.length; index += PARALLEL_CONNECTIONS) {
        await Promise.all(connections.slice(index, index + PARALLEL_CONNECTIONS).map(sendAndClose));
      }
      pings.push(await timedPing());
      batchDone = true;
      await trickling;
      trickler.destroy();
    }
    pings.sort((left, right) => left - right);
    const at = (share: number) => (pings[Math.min(pings.length - 1, Math.floor(share * pings.length))] ?? 0).toFixed(1);
    console.log(
      `[wire fuzz] seed ${SEED}: ${FRAMES} frames (${[...tally].map(([kind, count]) => `${kind} ${count}`).join(', ')}); ` +
        `ping after each of ${pings.length} batches: median ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`,
    );
    // Still whole: data written and read back through the driver.
    const notes = client.db().collection('after_fuzz');
    await notes.insertOne({ text: 'still here' });
    expect(await notes.findOne({}, { projection: { _id: 0 } })).toEqual({ text: 'still here' });
  }, 600_000);

  it('closes a connection on a 26-byte OP_MSG whose document sequence size is -1 (it looped forever)', async () => {
    const frame = Buffer.alloc(26);
    frame.writeInt32LE(26, 0);
    frame.writeInt32LE(2013, 12);
    frame.writeUInt8(1, 20);
    frame.writeInt32LE(-1, 21);
    await sendAndClose(frame);
    await timedPing();
  });

  it.each([
    ['a message length over 48 MB', (frame: Buffer) => frame.writeInt32LE(48_000_001, 0)],
    ['a message length under 16', (frame: Buffer) => frame.writeInt32LE(15, 0)],
    ['a negative message length', (frame: Buffer) => frame.writeInt32LE(-5, 0)],
    ['an unknown opcode', (frame: Buffer) => frame.writeInt32LE(2012, 12)],
    ['a body size past the message', (frame: Buffer) => frame.writeInt32LE(frame.readInt32LE(21) + 1, 21)],
    ['an unknown section kind', (frame: Buffer) => frame.writeUInt8(7, 20)],
    ['an unknown required flag', (frame: Buffer) => frame.writeUInt32LE(1 << 4, 16)],
  ])('closes, unanswered, the connection of a frame with %s', async (_label, mutate) => {
    const frame = opMsgFrame(1, { ping: 1, $db: 'admin' });
    mutate(frame);
    const socket = await rawSocket(server.uri);
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(frame);
    await closed;
    expect(Buffer.concat(received)).toHaveLength(0);
    await timedPing();
  });

  it('answers a large frame sent slowly, and other clients all along', async () => {
    const big = opMsgFrame(7, { insert: 'slow', $db: 'fuzz' }, { documents: [{ _id: 'big', body: 'y'.repeat(3 * 1024 * 1024) }] });
    const socket = await rawSocket(server.uri);
    const reply = new Promise<Buffer>((resolve) => {
      let received = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (received.length >= 4 && received.length >= received.readInt32LE(0)) resolve(received);
      });
    });
    let pingsMeanwhile = 0;
    let sent = false;
    const pinging = (async () => {
      while (!sent) {
        await timedPing();
        pingsMeanwhile += 1;
      }
    })();
    await trickle(socket, big, 8 * 1024);
    sent = true;
    await pinging;
    expect((await reply).readInt32LE(8)).toBe(7);
    socket.destroy();
    expect(pingsMeanwhile).toBeGreaterThan(0);
    expect(await client.db('fuzz').collection('slow').countDocuments({ _id: 'big' } as never)).toBe(1);
  });
});
