import { PassThrough } from 'node:stream';
import type { ChatEvent, Message } from '@ai-chat/protocol';
import type { Context } from 'koa';
import { AppError } from '../errors/app-error.js';
import type { Reply } from '../services/reply.js';

/** Formats one Server-Sent Event: the event's `type` as `event:`, the rest as one JSON `data:` line. */
export function formatEvent(event: ChatEvent): string {
  const { type, ...data } = event;
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Streams a reply to the client as Server-Sent Events, with headers that keep proxies from buffering and a `: ping`
 * comment while idle. The stream always ends: after `message-end`, or after an `error` event and a `message-end`
 * in status `error` when reading the reply failed. A client that goes away only stops its reading (the reply goes
 * on and is stored).
 */
export function streamReply(ctx: Context, reply: Reply, options: { pingIntervalMs: number }): void {
  const stream = new PassThrough();
  ctx.status = 200;
  ctx.type = 'text/event-stream; charset=utf-8';
  ctx.set({ 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  ctx.req.socket.setNoDelay(true);
  ctx.req.socket.setTimeout(0);
  ctx.body = stream;
  void pipeEvents(ctx, reply, stream, options.pingIntervalMs);
}

async function pipeEvents(ctx: Context, reply: Reply, stream: PassThrough, pingIntervalMs: number): Promise<void> {
  const events = reply.events()[Symbol.asyncIterator]();
  const leave = () => void events.return?.();
  ctx.res.once('close', leave);
  const pinger = startPinging(stream, pingIntervalMs);
  let lastMessage: Message | undefined;
  try {
    for (let next = await events.next(); !next.done; next = await events.next()) {
      if (next.value.type === 'message-start') lastMessage = next.value.assistantMessage;
      pinger.write(formatEvent(next.value));
    }
  } catch (error) {
    // A reply's reading never throws by contract; should one ever, the client still gets an end rather than pings.
    ctx.app.emit('error', error, ctx);
    pinger.write(failureText(lastMessage));
  } finally {
    pinger.stop();
    ctx.res.off('close', leave);
    if (!stream.writableEnded) stream.end();
  }
}

/**
 * Writes text to the stream, and a `: ping` comment whenever it has been idle for nearly the interval. Events that
 * arrive within one turn of the event loop (a model that sends many tokens at once) go out in one write, once the
 * turn's I/O is done; `stop` writes what is pending.
 */
function startPinging(stream: PassThrough, intervalMs: number): { write(text: string): void; stop(): void } {
  let lastWrite = Date.now();
  let pending = '';
  let flushing: NodeJS.Immediate | undefined;
  const flush = () => {
    flushing = undefined;
    if (pending && !stream.writableEnded) stream.write(pending);
    pending = '';
  };
  const write = (text: string) => {
    if (stream.writableEnded) return;
    pending += text;
    flushing ??= setImmediate(flush);
    lastWrite = Date.now();
  };
  const checkEveryMs = Math.max(50, Math.floor(intervalMs / 3));
  // Ping one check early rather than one late, so the stream is never idle for longer than the interval.
  const timer = setInterval(() => {
    if (Date.now() - lastWrite >= intervalMs - checkEveryMs) write(': ping\n\n');
  }, checkEveryMs);
  return {
    write,
    stop: () => {
      clearInterval(timer);
      if (flushing) clearImmediate(flushing);
      flush();
    },
  };
}

function failureText(message: Message | undefined): string {
  const error = new AppError('internal', 'The reply could not be streamed to its end; reload the conversation.');
  const failure = { type: error.type, message: error.message };
  const end: ChatEvent[] = message ? [{ type: 'message-end', message: { ...message, status: 'error', error: failure } }] : [];
  return [{ type: 'error', error: failure } as ChatEvent, ...end].map(formatEvent).join('');
}
