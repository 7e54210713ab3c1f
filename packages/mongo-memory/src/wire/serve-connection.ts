import type { Socket } from 'node:net';
import { isCommandDocument, runAcknowledged, runCommand } from '../commands/run-command.js';
import type { Engine } from '../engine.js';
import { decodeOpMsg, encodeOpMsg } from './op-msg.js';
import { decodeOpQuery, encodeOpReply } from './op-query.js';
import { FrameError, FrameReader, ReceiveBudget } from './frame-reader.js';
import { OP_CODE, readHeader } from './wire-message.js';

let lastRequestId = 0;

function nextRequestId(): number {
  lastRequestId = (lastRequestId + 1) % 0x7fffffff;
  return lastRequestId;
}

/**
 * Serves one client connection: splits the byte stream into wire messages ({@link FrameReader}: each header checked
 * before its frame is kept, large frames within the server's {@link ReceiveBudget}) and answers each in order.
 * Commands run synchronously against the in-memory data, so each one is atomic with respect to every other client;
 * a write's reply is held until the write is on disk (journal), and later replies queue behind it, so answers keep
 * their order. A message that cannot be understood closes this connection only, as MongoDB does; nothing it sends
 * can stop the process or hold up other connections.
 */
export function serveConnection(socket: Socket, engine: Engine, budget: ReceiveBudget = new ReceiveBudget()): void {
  const connectionId = engine.nextConnectionId();
  // Replies held until their writes are on disk; later replies queue behind them, so answers keep their order.
  let held: Promise<void> | undefined;
  const close = () => {
    reader.dispose();
    socket.destroy();
  };
  const answerAll = (frames: Buffer[]) => {
    for (const message of frames) {
      if (socket.destroyed) return;
      const reply = answer(message, engine, connectionId);
      if (reply instanceof Promise || held) {
        const sent: Promise<void> = (held ?? Promise.resolve())
          .then(async () => {
            const bytes = await reply;
            if (bytes && !socket.destroyed) socket.write(bytes);
          })
          .catch(close)
          .finally(() => {
            if (held === sent) held = undefined;
          });
        held = sent;
      } else if (reply) socket.write(reply);
    }
  };
  const reader = new FrameReader(budget, {
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    frames: (frames) => {
      try {
        answerAll(frames);
      } catch {
        close();
      }
    },
    fail: close,
  });
  socket.setNoDelay?.(true);
  socket.on('error', close);
  socket.on('close', () => reader.dispose());
  socket.on('data', (chunk: Buffer) => {
    try {
      answerAll(reader.push(chunk));
    } catch {
      close();
    }
  });
}

function answer(message: Buffer, engine: Engine, connectionId: number): Buffer | Promise<Buffer> | undefined {
  const header = readHeader(message);
  if (header.opCode === OP_CODE.message) {
    const { command, moreToCome, tooLarge } = decodeOpMsg(message);
    const reply = tooLarge ? tooLarge.toReply() : isCommandDocument(command) ? runAcknowledged(engine, command, connectionId) : invalidCommand();
    if (moreToCome) return undefined;
    return reply instanceof Promise
      ? reply.then((ready) => encodeOpMsg(ready, nextRequestId(), header.requestId))
      : encodeOpMsg(reply, nextRequestId(), header.requestId);
  }
  if (header.opCode === OP_CODE.query) {
    const { namespace, query } = decodeOpQuery(message);
    const database = namespace.endsWith('.$cmd') ? namespace.slice(0, -'.$cmd'.length) : undefined;
    const reply =
      database !== undefined && isCommandDocument(query)
        ? runCommand(engine, { ...query, $db: database }, connectionId)
        : { ok: 0, code: 352, codeName: 'UnsupportedOpQueryCommand', errmsg: 'legacy OP_QUERY is only supported for commands' };
    return encodeOpReply(reply, nextRequestId(), header.requestId);
  }
  throw new FrameError(`unsupported opCode ${header.opCode}`);
}

function invalidCommand() {
  return { ok: 0, code: 2, codeName: 'BadValue', errmsg: 'a command must be a non-empty document' };
}
