import { PassThrough } from 'node:stream';
import type { ChatEvent } from '@ai-chat/protocol';
import type { Context } from 'koa';
import type { ReplySource } from '../services/chat.service.js';

/** Formats one Server-Sent Event: the event's `type` as `event:`, the rest as one JSON `data:` line. */
export function formatEvent(event: ChatEvent): string {
  const { type, ...data } = event;
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Streams a reply to the client as Server-Sent Events, with headers that keep proxies from buffering and a `: ping`
 * comment while idle. The stream always ends after `message-end`; a client that goes away only unsubscribes (the
 * reply goes on and is stored).
 */
export function streamReply(ctx: Context, reply: ReplySource, options: { pingIntervalMs: number }): void {
  const stream = new PassThrough();
  ctx.status = 200;
  ctx.type = 'text/event-stream; charset=utf-8';
  ctx.set({ 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  ctx.req.socket.setNoDelay(true);
  ctx.req.socket.setTimeout(0);
  ctx.body = stream;

  let lastWrite = Date.now();
  const write = (text: string) => {
    if (stream.writableEnded) return;
    stream.write(text);
    lastWrite = Date.now();
  };
  const checkEveryMs = Math.max(50, Math.floor(options.pingIntervalMs / 3));
  // Ping one check early rather than one late, so the stream is never idle for longer than the interval.
  const ping = setInterval(() => {
    if (Date.now() - lastWrite >= options.pingIntervalMs - checkEveryMs) write(': ping\n\n');
  }, checkEveryMs);
  let unsubscribe = () => {};
  const close = () => {
    clearInterval(ping);
    unsubscribe();
    if (!stream.writableEnded) stream.end();
  };
  ctx.res.once('close', close);
  try {
    unsubscribe = reply.subscribe((event) => {
      write(formatEvent(event));
      if (event.type === 'message-end') setImmediate(close);
    });
  } finally {
    if (stream.writableEnded) close();
  }
}
