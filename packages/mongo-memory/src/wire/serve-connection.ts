import type { Socket } from 'node:net';
import { isCommandDocument, runAcknowledged, runCommand } from '../commands/run-command.js';
import type { Engine } from '../engine.js';
import { decodeOpMsg, encodeOpMsg } from './op-msg.js';
import { decodeOpQuery, encodeOpReply } from './op-query.js';
import { HEADER_SIZE, MAX_MESSAGE_SIZE, OP_CODE, readHeader } from './wire-message.js';

let lastRequestId = 0;

function nextRequestId(): number {
  lastRequestId = (lastRequestId + 1) % 0x7fffffff;
  return lastRequestId;
}

/**
 * Serves one client connection: splits the byte stream into wire messages and answers each in order. Commands run
 * synchronously against the in-memory data, so each one is atomic with respect to every other client. A message
 * that cannot be understood closes the connection, as MongoDB does.
 */
export function serveConnection(socket: Socket, engine: Engine): void {
  const connectionId = engine.nextConnectionId();
  let pending: Buffer = Buffer.alloc(0);
  // Replies held until their writes are on disk; later replies queue behind them, so answers keep their order.
  let held: Promise<void> | undefined;
  socket.setNoDelay(true);
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    try {
      while (pending.length >= 4) {
        const length = pending.readInt32LE(0);
        if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE) throw new Error(`invalid message length ${length}`);
        if (pending.length < length) break;
        const message = pending.subarray(0, length);
        pending = pending.subarray(length);
        const reply = answer(message, engine, connectionId);
        if (reply instanceof Promise || held) {
          const sent: Promise<void> = (held ?? Promise.resolve()).then(async () => {
            const bytes = await reply;
            if (bytes && !socket.destroyed) socket.write(bytes);
            if (held === sent) held = undefined;
          });
          held = sent;
        } else if (reply) socket.write(reply);
      }
    } catch {
      socket.destroy();
    }
  });
}

function answer(message: Buffer, engine: Engine, connectionId: number): Buffer | Promise<Buffer> | undefined {
  const header = readHeader(message);
  if (header.opCode === OP_CODE.message) {
    const { command, moreToCome } = decodeOpMsg(message);
    const reply = isCommandDocument(command) ? runAcknowledged(engine, command, connectionId) : invalidCommand();
    if (moreToCome) return undefined;
    return reply instanceof Promise ? reply.then((ready) => encodeOpMsg(ready, nextRequestId(), header.requestId)) : encodeOpMsg(reply, nextRequestId(), header.requestId);
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
  throw new Error(`unsupported opCode ${header.opCode}`);
}

function invalidCommand() {
  return { ok: 0, code: 2, codeName: 'BadValue', errmsg: 'a command must be a non-empty document' };
}
