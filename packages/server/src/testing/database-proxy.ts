import { once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mongo } from 'mongoose';

/** A database command as the proxy sees it: the body of an OP_MSG. */
export type ProxiedCommand = Record<string, unknown>;

/** A TCP proxy in front of a MongoDB that a test can turn into a failing database. */
export interface DatabaseProxy {
  /** The database's connection string, through the proxy. */
  readonly uri: string;
  /** From now on, answers every command that `matches` with a server error instead of passing it on. */
  failCommands(matches: (command: ProxiedCommand) => boolean): void;
  /** Passes every command on again. */
  heal(): void;
  close(): Promise<void>;
}

const OP_MSG = 2013;
const HEADER_BYTES = 16;
const MORE_TO_COME = 1 << 1;
/** MongoDB's `InternalError`: neither retried by the driver nor taken as a sign that the server changed. */
const INTERNAL_ERROR = { code: 1, codeName: 'InternalError' };

/**
 * Starts a proxy between a client and the MongoDB of `targetUri` (a single `mongodb://host:port` server). It passes
 * bytes through untouched until told to fail commands; then it answers those with a real wire-protocol error reply,
 * as a database that fails mid-request would, while the rest (e.g. the driver's heartbeats) goes on.
 */
export async function startDatabaseProxy(targetUri: string): Promise<DatabaseProxy> {
  const target = new URL(targetUri);
  let matches: ((command: ProxiedCommand) => boolean) | undefined;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 27017), target.hostname);
    sockets.add(client).add(upstream);
    for (const socket of [client, upstream]) socket.on('close', () => sockets.delete(socket)).on('error', () => undefined);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    upstream.pipe(client);
    relayMessages(client, (message) => {
      const command = matches ? readCommand(message) : undefined;
      if (command && matches?.(command)) {
        if (!(message.readInt32LE(HEADER_BYTES) & MORE_TO_COME)) client.write(errorReply(message.readInt32LE(4), command));
      } else {
        upstream.write(message);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const proxied = new URL(targetUri);
  proxied.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxied.searchParams.set('directConnection', 'true');
  return {
    uri: proxied.toString(),
    failCommands: (match) => void (matches = match),
    heal: () => void (matches = undefined),
    close: async () => {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Calls `onMessage` with each whole wire-protocol message the socket sends, however its bytes were split. */
function relayMessages(socket: Socket, onMessage: (message: Buffer) => void): void {
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
      const length = pending.readInt32LE(0);
      onMessage(pending.subarray(0, length));
      pending = pending.subarray(length);
    }
  });
}

/** The command of an OP_MSG (its kind-0 section), or `undefined` for other messages. */
function readCommand(message: Buffer): ProxiedCommand | undefined {
  if (message.readInt32LE(12) !== OP_MSG || message[HEADER_BYTES + 4] !== 0) return undefined;
  const start = HEADER_BYTES + 5;
  return mongo.BSON.deserialize(message.subarray(start, start + message.readInt32LE(start)));
}

/** An OP_MSG reply to `requestId` saying the command failed on the server. */
function errorReply(requestId: number, command: ProxiedCommand): Buffer {
  const name = Object.keys(command)[0];
  const body = Buffer.from(mongo.BSON.serialize({ ok: 0, errmsg: `the test proxy failed the ${name} command`, ...INTERNAL_ERROR }));
  const header = Buffer.alloc(HEADER_BYTES + 5);
  header.writeInt32LE(header.length + body.length, 0);
  header.writeInt32LE(0, 4);
  header.writeInt32LE(requestId, 8);
  header.writeInt32LE(OP_MSG, 12);
  header.writeInt32LE(0, HEADER_BYTES);
  header.writeUInt8(0, HEADER_BYTES + 4);
  return Buffer.concat([header, body]);
}
