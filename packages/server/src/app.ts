import Koa, { type Middleware, type ParameterizedContext } from 'koa';
import compose from 'koa-compose';
import { createChatRouter, type ChatRouter, type ChatRouterOptions } from './chat-router.js';
import { errorHandler } from './middleware/error-handler.js';
import { requestId } from './middleware/request-id.js';
import { requestLogger } from './middleware/request-logger.js';
import { securityHeaders } from './middleware/security-headers.js';
import { createLogger } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';
import { findWidgetAssets, widgetAssetsRoutes, type WidgetAssetPaths } from './routes/widget-assets.js';

/** Options of {@link createChatApp}: the router's, plus what a standalone app adds. */
export interface ChatAppOptions extends Omit<ChatRouterOptions, 'prefix'> {
  /** Trust `X-Forwarded-*` headers (behind a load balancer), so rate limits see the client's IP. */
  trustProxy?: boolean;
  /** Serve the element's bundle at `/widget/ai-chat.js` and the demo page at `/` (default: true). */
  serveWidget?: boolean | WidgetAssetPaths;
  /** Who may show the demo page in a frame (CSP `frame-ancestors`): `'self'` or origins. Default: nobody. */
  frameAncestors?: string[];
}

/** A Koa app running ai-chat, with the chat router it mounts (for shutdown and metrics). */
export interface ChatApp extends Koa {
  readonly chatRouter: ChatRouter;
}

class ChatKoaApp extends Koa implements ChatApp {
  constructor(
    readonly chatRouter: ChatRouter,
    proxy: boolean,
  ) {
    super({ proxy });
    // Errors are rendered and logged by the error handlers; Koa's own printing would only repeat them.
    this.silent = true;
  }
}

/**
 * A complete ai-chat server as a Koa app: the API of {@link createChatRouter} at the root, then the element's bundle
 * and the demo page. Every response carries the security headers, and every path that is neither answers a 404 in
 * the contract's error shape. Listen on it yourself, or use `startServer()` which also finds the database.
 *
 * @example
 * const app = createChatApp({ database, modelRegistry });
 * app.listen(3000);
 */
export function createChatApp(options: ChatAppOptions): ChatApp {
  const logger = options.logger ?? createLogger({ level: 'info', secrets: options.modelRegistry.secrets });
  const metrics = options.metrics ?? createMetrics();
  const chatRouter = createChatRouter({ ...options, logger, metrics });
  const frameAncestors = options.frameAncestors ?? [];
  const assets = options.serveWidget ?? true;
  const site = compose<ParameterizedContext>([
    requestId(),
    requestLogger(logger, metrics),
    errorHandler(logger),
    securityHeaders({ frameAncestors, resourcePolicy: 'same-origin' }),
    ...(assets ? [widgetAssetsRoutes(assets === true ? findWidgetAssets() : assets, { frameAncestors }).routes() as Middleware] : []),
  ]);

  const app = new ChatKoaApp(chatRouter, options.trustProxy ?? false);
  app.use(chatRouter.routes());
  app.use(site);
  return app;
}
