import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { createChatApp, type ChatApp, type ChatAppOptions } from './app.js';
import type { ServerConfig } from './config.js';
import { connectDatabase, type Database } from './database/connect-database.js';
import { createLogger } from './observability/logger.js';
import { configuredSecrets } from './providers/configured-secrets.js';
import { createModelRegistry, type ModelRegistry } from './providers/model-registry.js';
import { ListenError } from './startup-failure.js';

/** A running server: its address, its parts, and a clean shutdown. */
export interface RunningServer {
  /** e.g. `http://127.0.0.1:3000` */
  url: string;
  app: ChatApp;
  database: Database;
  modelRegistry: ModelRegistry;
  httpServer: Server;
  /** Ends open replies (stored as `stopped`), closes connections, then the database. */
  close(): Promise<void>;
}

/** Options of {@link startServer} beyond the configuration. */
export interface StartServerOptions {
  logger?: Logger;
  /** Overrides for the app (e.g. faster reply timing in tests). */
  app?: Partial<ChatAppOptions>;
  fetch?: typeof fetch;
}

/**
 * Starts ai-chat from a parsed configuration: finds and connects the database, builds the model registry and the
 * app, and listens. This is what the `ai-chat-server` CLI runs.
 */
export async function startServer(config: ServerConfig, options: StartServerOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, secrets: configuredSecrets(config.models) });
  const modelRegistry = createModelRegistry(config.models, options.fetch ? { fetch: options.fetch } : {});
  const database = await connectDatabase({ uri: config.mongodbUri, embedded: config.embeddedDatabase, dataDirectory: config.dataDirectory, logger });
  const app = createChatApp({
    database,
    modelRegistry,
    identitySecret: config.identitySecret,
    allowedOrigins: config.allowedOrigins,
    bodyLimit: config.bodyLimit,
    rateLimits: config.rateLimits,
    trustProxy: config.trustProxy,
    identifiedTokenExpiryMs: config.identifiedTokenExpiryMs,
    tokenCacheTtlMs: config.tokenCacheTtlMs,
    metricsToken: config.metricsToken,
    metricsPublic: config.metricsPublic,
    frameAncestors: config.frameAncestors,
    logger,
    ...options.app,
    chat: { lockTtlMs: config.replyLockTtlMs, ...options.app?.chat },
  });
  const httpServer = app.listen(config.port, config.host);
  httpServer.on('clientError', answerClientError);
  try {
    await once(httpServer, 'listening');
  } catch (error) {
    // Nothing listens, so nothing else will close the database (an embedded one holds its data folder).
    await database.close().catch(() => undefined);
    throw new ListenError(config.host, config.port, (error as NodeJS.ErrnoException).code, { cause: error });
  }
  const address = httpServer.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await app.chatRouter.shutdown();
      httpServer.closeIdleConnections();
      const forced = setTimeout(() => httpServer.closeAllConnections(), 3000);
      await stopped;
      clearTimeout(forced);
      await database.close();
    })());

  return { url, app, database, modelRegistry, httpServer, close };
}

/**
 * A request Node's HTTP parser refuses (an unknown method, a malformed request line or header, headers too large)
 * never reaches Koa; it still gets an answer in the contract's error shape instead of a bare `400 Bad Request`.
 */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const message = error.code === 'HPE_HEADER_OVERFLOW' ? 'The request headers are too large' : 'The request is not valid HTTP';
  const body = JSON.stringify({ error: { type: 'invalid_request', message, details: [], requestId: randomUUID() } });
  socket.end(
    `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
  );
}
