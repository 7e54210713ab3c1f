import { describe, expect, it } from 'vitest';
import { opMsgFrame } from '../testing/wire-fuzz.js';
import { FrameError, FrameReader, ReceiveBudget, SMALL_FRAME_BYTES } from './frame-reader.js';

function reader(budget: ReceiveBudget) {
  const events: string[] = [];
  const frames: Buffer[] = [];
  const instance = new FrameReader(budget, {
    pause: () => events.push('pause'),
    resume: () => events.push('resume'),
    frames: (complete) => frames.push(...complete),
    fail: (error) => events.push(`fail ${String(error)}`),
  });
  return { instance, events, frames };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('FrameReader', () => {
  it('splits frames however the bytes are cut, and joins a frame sent a byte at a time', () => {
    const { instance } = reader(new ReceiveBudget());
    const first = opMsgFrame(1, { ping: 1, $db: 'admin' });
    const second = opMsgFrame(2, { find: 'x', $db: 'y' });
    const bytes = Buffer.concat([first, second]);
    const out: Buffer[] = [];
    for (let offset = 0; offset < bytes.length; offset += 1) out.push(...instance.push(bytes.subarray(offset, offset + 1)));
    expect(out).toEqual([first, second]);
  });

  it('refuses a bad header as soon as its length or opcode is there, before the frame arrives', () => {
    const { instance } = reader(new ReceiveBudget());
    expect(() => instance.push(Buffer.from([0xff, 0xff, 0xff, 0xff]))).toThrow(FrameError);
    const unknown = Buffer.alloc(16);
    unknown.writeInt32LE(40_000_000, 0);
    unknown.writeInt32LE(2012, 12);
    expect(() => reader(new ReceiveBudget()).instance.push(unknown)).toThrow(/unsupported opCode 2012/);
  });

  it('holds large frames within the shared budget: a connection whose frame does not fit waits, paused', async () => {
    const budget = new ReceiveBudget(3 * SMALL_FRAME_BYTES);
    const large = (id: number) => opMsgFrame(id, { insert: 'x', $db: 'y' }, { documents: [{ body: 'z'.repeat(2 * SMALL_FRAME_BYTES) }] });
    const first = reader(budget);
    const second = reader(budget);
    const small = reader(budget);
    const [one, two] = [large(1), large(2)];
    expect(first.instance.push(one.subarray(0, 100))).toEqual([]);
    expect(second.instance.push(two.subarray(0, 100))).toEqual([]);
    expect(first.events).toEqual([]);
    expect(second.events).toEqual(['pause']);
    // Small frames never wait for the budget.
    const ping = opMsgFrame(3, { ping: 1, $db: 'admin' });
    expect(small.instance.push(ping)).toEqual([ping]);

    // Compared with equals(): a failing toEqual would print megabytes.
    const firstFrames = first.instance.push(one.subarray(100));
    expect(firstFrames.length === 1 && firstFrames[0]?.equals(one)).toBe(true);
    await flush();
    expect(second.events).toEqual(['pause', 'resume']);
    const secondFrames = second.instance.push(two.subarray(100));
    expect(secondFrames.length === 1 && secondFrames[0]?.equals(two)).toBe(true);
  });

  it('gives the budget back when a connection closes in the middle of a large frame', async () => {
    const budget = new ReceiveBudget(3 * SMALL_FRAME_BYTES);
    const frame = opMsgFrame(1, { insert: 'x', $db: 'y' }, { documents: [{ body: 'z'.repeat(2 * SMALL_FRAME_BYTES) }] });
    const gone = reader(budget);
    gone.instance.push(frame.subarray(0, 16));
    const waiting = reader(budget);
    waiting.instance.push(frame.subarray(0, 16));
    expect(waiting.events).toEqual(['pause']);
    gone.instance.dispose();
    await flush();
    expect(waiting.events).toEqual(['pause', 'resume']);
  });
});
