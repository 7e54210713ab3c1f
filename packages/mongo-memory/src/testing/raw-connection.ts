import { connect, type Socket } from 'node:net';

/**
 * Where a `mongodb://` connection string of one server points: a Unix domain socket path (its host percent-encoded,
 * as the driver takes it) or a TCP host and port.
 */
export function serverAddress(uri: string): { path: string } | { host: string; port: number } {
  const host = new URL(uri).host;
  if (host.toLowerCase().startsWith('%2f')) return { path: decodeURIComponent(host) };
  const { hostname, port } = new URL(uri);
  return { host: hostname, port: Number(port || 27017) };
}

/** Opens a plain socket (no driver) to the server of `uri`, for sending hand-built wire messages. */
export function rawSocket(uri: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(serverAddress(uri), () => resolve(socket));
    socket.once('error', reject);
  });
}
