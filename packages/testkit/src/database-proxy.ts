import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/** A database command as the proxy sees it: its name (e.g. `find`) and the collection it names, if any. */
export interface ProxiedCommand {
  name: string;
  collection: string | undefined;
}

/**
 * A TCP proxy (on 127.0.0.1, for tests only) in front of a MongoDB that a test can turn into a failing database. The
 * MongoDB may be on TCP or, as the in-process engine is, on a Unix domain socket.
 */
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
const BODY_OFFSET = HEADER_BYTES + 5;
const MORE_TO_COME = 1 << 1;
const BSON_STRING = 0x02;

/**
 * Starts a proxy between clients and the MongoDB of `targetUri` (a single server: `mongodb://host:port` or a
 * percent-encoded socket path, `mongodb://%2Ftmp%2F...%2Fmongod.sock`). It passes
 * bytes through untouched until told to fail commands; then it answers those with a real wire-protocol error reply
 * (`InternalError`, which the driver neither retries nor takes as a sign that the server changed), as a database
 * failing mid-request would, while everything else (e.g. the driver's heartbeats) goes on.
 */
export async function startDatabaseProxy(targetUri: string): Promise<DatabaseProxy> {
  const target = upstreamAddress(targetUri);
  let matches: ((command: ProxiedCommand) => boolean) | undefined;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(target);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket)).on('error', () => undefined);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    upstream.pipe(client);
    readMessages(client, (message) => {
      const command = matches ? readCommand(message) : undefined;
      if (!command || !matches?.(command)) upstream.write(message);
      else if (!(message.readInt32LE(HEADER_BYTES) & MORE_TO_COME)) client.write(errorReply(message.readInt32LE(4), command.name));
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

function upstreamAddress(uri: string): { path: string } | { host: string; port: number } {
  const { host, hostname, port } = new URL(uri);
  if (host.toLowerCase().startsWith('%2f')) return { path: decodeURIComponent(host) };
  return { host: hostname, port: Number(port || 27017) };
}

/** Calls `onMessage` with each whole wire-protocol message the socket sends, however its bytes were split. */
function readMessages(socket: Socket, onMessage: (message: Buffer) => void): void {
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

/**
 * The command of an OP_MSG (its kind-0 section): MongoDB puts the command's name first, and its value is the
 * collection for collection commands. `undefined` for other messages (the handshake is a legacy OP_QUERY).
 */
function readCommand(message: Buffer): ProxiedCommand | undefined {
  if (message.readInt32LE(12) !== OP_MSG || message[HEADER_BYTES + 4] !== 0) return undefined;
  const type = message[BODY_OFFSET + 4];
  const nameEnd = message.indexOf(0, BODY_OFFSET + 5);
  const name = message.toString('utf8', BODY_OFFSET + 5, nameEnd);
  if (type !== BSON_STRING) return { name, collection: undefined };
  const length = message.readInt32LE(nameEnd + 1);
  return { name, collection: message.toString('utf8', nameEnd + 5, nameEnd + 5 + length - 1) };
}

/** An OP_MSG reply to `requestId`: `{ ok: 0, errmsg, code: 1, codeName: 'InternalError' }`. */
function errorReply(requestId: number, name: string): Buffer {
  const body = bsonDocument([
    doubleField('ok', 0),
    stringField('errmsg', `the test proxy failed the ${name} command`),
    int32Field('code', 1),
    stringField('codeName', 'InternalError'),
  ]);
  const header = Buffer.alloc(BODY_OFFSET);
  header.writeInt32LE(header.length + body.length, 0);
  header.writeInt32LE(requestId, 8);
  header.writeInt32LE(OP_MSG, 12);
  return Buffer.concat([header, body]);
}

function bsonDocument(fields: Buffer[]): Buffer {
  const content = Buffer.concat([...fields, Buffer.from([0])]);
  const length = Buffer.alloc(4);
  length.writeInt32LE(content.length + 4);
  return Buffer.concat([length, content]);
}

function fieldHead(type: number, key: string): Buffer {
  return Buffer.concat([Buffer.from([type]), Buffer.from(`${key}\0`, 'utf8')]);
}

function doubleField(key: string, value: number): Buffer {
  const number = Buffer.alloc(8);
  number.writeDoubleLE(value);
  return Buffer.concat([fieldHead(0x01, key), number]);
}

function int32Field(key: string, value: number): Buffer {
  const number = Buffer.alloc(4);
  number.writeInt32LE(value);
  return Buffer.concat([fieldHead(0x10, key), number]);
}

function stringField(key: string, value: string): Buffer {
  const text = Buffer.from(`${value}\0`, 'utf8');
  const length = Buffer.alloc(4);
  length.writeInt32LE(text.length);
  return Buffer.concat([fieldHead(BSON_STRING, key), length, text]);
}
