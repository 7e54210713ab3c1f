import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request as the test server received it, body included, so tests can count and inspect what the SDK sent. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answers one request by writing to the raw response; `index` counts requests from 0. */
export type RawHandler = (request: RecordedRequest, response: ServerResponse, index: number) => void | Promise<void>;

/** A running test server. */
export interface RawServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A tiny HTTP server on 127.0.0.1 whose handler writes raw bytes, for testing the SDK over real HTTP against
 * exactly the bytes, splits, pauses and failures a test wants.
 */
export async function startRawServer(handler: RawHandler): Promise<RawServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer(async (incoming, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const request = {
      method: incoming.method ?? 'GET',
      path: incoming.url ?? '/',
      headers: incoming.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    requests.push(request);
    try {
      await handler(request, response, requests.length - 1);
    } catch (error) {
      response.destroy(error as Error);
    }
  });
  server.on('connection', (socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Writes a JSON response. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(body === undefined ? undefined : JSON.stringify(body));
}

/** Writes the contract's error body with a request id in body and header. */
export function sendError(
  response: ServerResponse,
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  const requestId = `req-${status}`;
  sendJson(response, status, { error: { type, message, details: [], requestId } }, { 'x-request-id': requestId, ...headers });
}

/** Waits a little, so that two writes reach the client as two chunks rather than one. */
export function pause(milliseconds = 1): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
