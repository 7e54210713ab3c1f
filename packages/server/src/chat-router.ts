import type { Middleware, ParameterizedContext } from 'koa';
import compose from 'koa-compose';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { authenticate, lookUpBearer } from './middleware/authenticate.js';
import { corsForOrigins } from './middleware/cors.js';
import { errorHandler } from './middleware/error-handler.js';
import { jsonBody } from './middleware/json-body.js';
import { rateLimit, type RateLimitOptions } from './middleware/rate-limit.js';
import { requestId } from './middleware/request-id.js';
import { requestLogger } from './middleware/request-logger.js';
import { securityHeaders } from './middleware/security-headers.js';
import { createStores } from './data/stores.js';
import type { Models } from './models/index.js';
import { createLogger } from './observability/logger.js';
import { routeAiSdkWarnings } from './providers/ai-sdk-warnings.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import type { ModelRegistry } from './providers/model-registry.js';
import { chatRoutes } from './routes/chat.routes.js';
import { configRoutes } from './routes/config.routes.js';
import { createRouter } from './routes/create-router.js';
import { messagesRoutes } from './routes/messages.routes.js';
import { modelsRoutes } from './routes/models.routes.js';
import { operationsRoutes } from './routes/operations.routes.js';
import { sessionsRoutes } from './routes/sessions.routes.js';
import { usersRoutes } from './routes/users.routes.js';
import { AccessTokenService, DEFAULT_IDENTIFIED_TOKEN_EXPIRY_MS } from './services/access-token.service.js';
import { ChatService, type ChatServiceOptions } from './services/chat.service.js';
import { ErasureService } from './services/erasure.service.js';
import { IdentityService } from './services/identity.service.js';
import { MessageService } from './services/message.service.js';
import { SessionService } from './services/session.service.js';
import { Sweeper } from './services/sweeper.js';

/** What {@link createChatRouter} needs: an open database, the models on offer, and optional settings. */
export interface ChatRouterOptions {
  /** The mongoose connection and the server's models on it (see `connectDatabase()` / `openDatabase()`). */
  database: { connection: Connection; models: Models };
  /** The AI models this deployment offers (see `createModelRegistry()`). */
  modelRegistry: ModelRegistry;
  /** Mount the routes under this prefix, e.g. `/chat` serves `/chat/api/sessions`. */
  prefix?: string;
  /** HS256 secret for host-signed identity tokens; without it `POST /api/users/identify` is refused. */
  identitySecret?: string | undefined;
  /** How long an identified user's token lasts without use, in milliseconds (default 30 days); each use extends it. */
  identifiedTokenExpiryMs?: number;
  /**
   * How long a resolved bearer token is served from memory, in milliseconds (default 5000; 0 turns the cache off).
   * Sign-out and erase take effect at once in the process that handles them, and within this long in the others.
   */
  tokenCacheTtlMs?: number | undefined;
  /** CORS allow-list; `['*']` (the default) allows any origin, never with credentials. */
  allowedOrigins?: string[];
  /** Largest JSON body in bytes, after decompression (default 1 MB). */
  bodyLimit?: number;
  /** Requests per minute per token, per IP and for chat; `false` turns rate limiting off. */
  rateLimits?: RateLimitOptions | false;
  /** The bearer token `GET /metrics` requires. Without it, metrics are served only when `metricsPublic` is true. */
  metricsToken?: string | undefined;
  /** Serve `GET /metrics` to anyone when no `metricsToken` is set (default false: not served). */
  metricsPublic?: boolean;
  logger?: Logger;
  metrics?: Metrics;
  /** Timing of replies (how often text is saved and the stop flag read, how long a reply lock lives, how often to sweep). */
  chat?: ChatServiceOptions & { pingIntervalMs?: number };
}

/** The ai-chat API, ready to mount in a Koa app: `app.use(chat.routes())`. */
export interface ChatRouter {
  /**
   * The middleware to mount. It answers `<prefix>/api/*`, `<prefix>/healthz`, `<prefix>/readyz` and
   * `<prefix>/metrics` with its own chain (errors, security headers, CORS, rate limits, bodies, logs), and passes
   * every other request on to the host app untouched.
   */
  routes(): Middleware;
  /**
   * Stops the sweep (replies whose writer went away, erases left half done) and ends the replies being written
   * (stored as `stopped`); call it on shutdown, before closing the database.
   */
  shutdown(): Promise<void>;
  /** The Prometheus metrics the API records. */
  readonly metrics: Metrics;
}

const DEFAULT_RATE_LIMITS: RateLimitOptions = { perTokenPerMinute: 120, perIpPerMinute: 600, chatPerMinute: 20 };

/**
 * The whole ai-chat HTTP API for an existing Koa app to mount under its own prefix: `/api/*`, `/healthz`, `/readyz`
 * and `/metrics`. It builds its services once, then reads as a list: the middleware every request passes, then the
 * routes, each of which says itself whether it needs a user.
 *
 * @example
 * const database = await connectDatabase({ uri: process.env.MONGODB_URI });
 * const chat = createChatRouter({ database, modelRegistry: createModelRegistry(loadModelsConfig(process.env)), prefix: '/chat' });
 * app.use(chat.routes());
 */
export function createChatRouter(options: ChatRouterOptions): ChatRouter {
  const prefix = (options.prefix ?? '').replace(/\/$/, '');
  const logger = options.logger ?? createLogger({ level: 'info', secrets: options.modelRegistry.secrets });
  routeAiSdkWarnings(logger);
  const metrics = options.metrics ?? createMetrics();
  const { connection, models } = options.database;
  const registry = options.modelRegistry;

  const tokens = new AccessTokenService(models, {
    identifiedExpiryMs: options.identifiedTokenExpiryMs ?? DEFAULT_IDENTIFIED_TOKEN_EXPIRY_MS,
    cacheTtlMs: options.tokenCacheTtlMs,
  });
  const chat = new ChatService(models, registry, metrics, logger, options.chat);
  const stores = createStores(models);
  const erasure = new ErasureService(stores, tokens, chat.liveReplies);
  const { lockTtlMs } = chat.timing;
  const sweeper = new Sweeper(stores, erasure, chat.liveReplies, { intervalMs: options.chat?.sweepIntervalMs ?? Math.min(5_000, lockTtlMs / 2), lockTtlMs, logger });
  const identity = new IdentityService(models, tokens, erasure, options.identitySecret);
  const sessions = new SessionService(models, (id) => registry.get(id) !== undefined, () => registry.defaultModel.id, erasure);
  const messages = new MessageService(models, metrics);
  const requireUser = authenticate(identity);
  const limits = options.rateLimits === undefined ? DEFAULT_RATE_LIMITS : options.rateLimits;

  const api = createRouter(`${prefix}/api`);
  api.use(
    usersRoutes(identity, requireUser).routes(),
    configRoutes(registry).routes(),
    sessionsRoutes(sessions, messages, requireUser).routes(),
    modelsRoutes(registry, requireUser).routes(),
    chatRoutes(chat, requireUser, { pingIntervalMs: options.chat?.pingIntervalMs ?? 15_000 }).routes(),
    messagesRoutes(chat, messages, requireUser).routes(),
  );
  const operations = createRouter(prefix || undefined);
  operations.use(operationsRoutes(connection, metrics, { token: options.metricsToken, isPublic: options.metricsPublic }).routes());

  const pipeline = compose<ParameterizedContext>([
    requestId(),
    requestLogger(logger, metrics),
    errorHandler(logger),
    securityHeaders(),
    corsForOrigins(options.allowedOrigins ?? ['*']),
    // The token's user is looked up while the rate limit counters are counted: one round trip for both.
    onlyForApi(prefix, lookUpBearer(identity)),
    ...(limits ? [onlyForApi(prefix, rateLimit(connection, limits, logger))] : []),
    jsonBody(options.bodyLimit ?? 1024 * 1024),
    operations.routes() as Middleware,
    api.routes() as Middleware,
  ]);
  const isOwnPath = ownPathMatcher(prefix);
  // The API's paths end here (a miss is the API's 404), so a host app's later middleware never answers for them.
  const middleware: Middleware = (ctx, next) => (isOwnPath(ctx.path) ? pipeline(ctx) : next());

  sweeper.start();
  const shutdown = async () => {
    await sweeper.stop();
    await chat.shutdown();
  };
  return { routes: () => middleware, shutdown, metrics };
}

/**
 * Which requests the API answers: everything under `<prefix>/api` in any letter case (so that a misspelt API path
 * gets the API's 404 in the contract's shape), and the three probes.
 */
function ownPathMatcher(prefix: string): (path: string) => boolean {
  const api = `${prefix}/api`.toLowerCase();
  const probes = new Set(['/healthz', '/readyz', '/metrics'].map((path) => `${prefix}${path}`));
  return (path) => {
    const lower = path.toLowerCase();
    return probes.has(path) || lower === api || lower.startsWith(`${api}/`);
  };
}

// Every spelling of an API path counts, so that misspelt paths are no way around the limits; the probes do not.
function onlyForApi(prefix: string, middleware: Middleware): Middleware {
  const api = `${prefix}/api/`.toLowerCase();
  return (ctx, next) => (ctx.path.toLowerCase().startsWith(api) && ctx.method !== 'OPTIONS' ? middleware(ctx, next) : next());
}
