import Router from '@koa/router';
import type { Middleware, ParameterizedContext } from 'koa';
import compose from 'koa-compose';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { authenticate } from './middleware/authenticate.js';
import { corsForOrigins } from './middleware/cors.js';
import { errorHandler } from './middleware/error-handler.js';
import { jsonBody } from './middleware/json-body.js';
import { rateLimit, type RateLimitOptions } from './middleware/rate-limit.js';
import { requestId } from './middleware/request-id.js';
import { requestLogger } from './middleware/request-logger.js';
import { securityHeaders } from './middleware/security-headers.js';
import type { Models } from './models/index.js';
import { createLogger } from './observability/logger.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import type { ModelRegistry } from './providers/model-registry.js';
import { chatRoutes } from './routes/chat.routes.js';
import { configRoutes } from './routes/config.routes.js';
import { modelsRoutes } from './routes/models.routes.js';
import { operationsRoutes } from './routes/operations.routes.js';
import { sessionsRoutes } from './routes/sessions.routes.js';
import { usersRoutes } from './routes/users.routes.js';
import { ChatService, type ChatServiceOptions } from './services/chat.service.js';
import { IdentityService } from './services/identity.service.js';
import { MessageService } from './services/message.service.js';
import { SessionService } from './services/session.service.js';

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
  /** CORS allow-list; `['*']` (the default) allows any origin, never with credentials. */
  allowedOrigins?: string[];
  /** Largest JSON body in bytes (default 1 MB). */
  bodyLimit?: number;
  /** Requests per minute per token, per IP and for chat; `false` turns rate limiting off. */
  rateLimits?: RateLimitOptions | false;
  logger?: Logger;
  metrics?: Metrics;
  /** Timing of replies (how often text is saved and the stop flag read, how long a reply lock lives). */
  chat?: ChatServiceOptions & { pingIntervalMs?: number };
}

/** The router, with the chat service behind it so its owner can stop open replies on shutdown. */
export interface ChatRouter extends Router {
  chatService: ChatService;
  metrics: Metrics;
}

const DEFAULT_RATE_LIMITS: RateLimitOptions = { perTokenPerMinute: 120, perIpPerMinute: 600, chatPerMinute: 20 };

/**
 * The whole ai-chat HTTP API as a `@koa/router` router that an existing Koa app can mount under its own prefix:
 * `/api/*`, `/healthz`, `/readyz` and `/metrics`. It brings its own middleware chain (request id, error rendering,
 * security headers, CORS, rate limits, JSON bodies, logs), so it behaves the same whatever the host app runs.
 *
 * @example
 * const database = await connectDatabase({ uri: process.env.MONGODB_URI });
 * const chat = createChatRouter({ database, modelRegistry: createModelRegistry(loadModelsConfig(process.env)), prefix: '/chat' });
 * app.use(chat.routes());
 */
export function createChatRouter(options: ChatRouterOptions): ChatRouter {
  const prefix = (options.prefix ?? '').replace(/\/$/, '');
  const logger = options.logger ?? createLogger({ level: 'info' });
  const metrics = options.metrics ?? createMetrics();
  const { connection, models } = options.database;
  const registry = options.modelRegistry;

  const identity = new IdentityService(models, options.identitySecret);
  const sessions = new SessionService(models, (id) => registry.get(id) !== undefined, () => registry.defaultModel.id);
  const messages = new MessageService(models);
  const chat = new ChatService(models, registry, metrics, logger, options.chat);

  const authenticated = new Router();
  authenticated.use(authenticate(identity));
  authenticated.use(sessionsRoutes(sessions, messages).routes());
  authenticated.use(modelsRoutes(registry).routes());
  authenticated.use(chatRoutes(chat, { pingIntervalMs: options.chat?.pingIntervalMs ?? 15_000 }).routes());

  const api = new Router({ prefix: `${prefix}/api` });
  api.use(usersRoutes(identity).routes());
  api.use(configRoutes(registry).routes());
  api.use(authenticated.routes());

  const inner = new Router({ prefix });
  inner.use(operationsRoutes(connection, metrics).routes());

  const limits = options.rateLimits === undefined ? DEFAULT_RATE_LIMITS : options.rateLimits;
  const limiter = limits ? rateLimit(connection, limits, logger) : undefined;
  const apiPrefix = `${prefix}/api/`;
  const limitApi: Middleware = async (ctx, next) =>
    limiter && ctx.path.startsWith(apiPrefix) && ctx.method !== 'OPTIONS' ? limiter(ctx, next) : next();
  const pipeline = compose<ParameterizedContext>([
    requestId(),
    requestLogger(logger, metrics),
    errorHandler(logger),
    securityHeaders(),
    corsForOrigins(options.allowedOrigins ?? ['*']),
    limitApi,
    jsonBody(options.bodyLimit ?? 1024 * 1024),
    inner.routes() as Middleware,
    api.routes() as Middleware,
  ]);

  const router = new Router({ prefix }) as ChatRouter;
  router.all(['/api', '/api/{*path}', '/healthz', '/readyz', '/metrics'], (ctx, next) => pipeline(ctx, next));
  router.chatService = chat;
  router.metrics = metrics;
  return router;
}
