import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { ChatEvent } from '@ai-chat/protocol';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import type { Reply, ReplyResult } from '../services/reply.js';
import { streamReply } from './sse-response.js';

const PING_INTERVAL_MS = 1200;
const MESSAGE = { id: 'a'.repeat(24), sessionId: 'b'.repeat(24), content: '', model: null, createdAt: new Date(0).toISOString() };
const START: ChatEvent = { type: 'message-start', userMessage: { ...MESSAGE, role: 'user', status: 'complete' }, assistantMessage: { ...MESSAGE, role: 'assistant', status: 'streaming' } };
const DELTA: ChatEvent = { type: 'text-delta', messageId: MESSAGE.id, delta: 'Hel' };
const END: ChatEvent = { type: 'message-end', message: { ...MESSAGE, role: 'assistant', status: 'complete', content: 'Hel' } };

let close: (() => void) | undefined;
afterEach(() => close?.());

/** A reply that starts at once, writes one delta half-way between two ping checks, then is silent until it ends. */
function silentReply(): Reply {
  return {
    id: MESSAGE.id,
    result: new Promise<ReplyResult>(() => {}),
    async *events() {
      yield START;
      await delay(PING_INTERVAL_MS / 2);
      yield DELTA;
      await delay(PING_INTERVAL_MS * 2.5);
      yield END;
    },
  };
}

describe('streamReply', () => {
  it('never leaves the stream idle for longer than the ping interval', async () => {
    const app = new Koa();
    app.use((ctx) => streamReply(ctx, silentReply(), { pingIntervalMs: PING_INTERVAL_MS }));
    const server = app.listen(0, '127.0.0.1');
    close = () => server.close();
    await new Promise((resolve) => server.once('listening', resolve));
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const arrivals: number[] = [];
    for await (const _chunk of response.body as unknown as AsyncIterable<Uint8Array>) arrivals.push(performance.now());
    const gaps = arrivals.slice(1).map((time, index) => time - arrivals[index]!);
    expect(gaps.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(PING_INTERVAL_MS + 50);
  });
});
