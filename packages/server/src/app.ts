import Koa from 'koa';
import { createChatRouter, type ChatRouter, type ChatRouterOptions } from './chat-router.js';
import { findWidgetAssets, widgetAssetsRoutes, type WidgetAssetPaths } from './routes/widget-assets.js';

/** Options of {@link createChatApp}: the router's, plus what a standalone app adds. */
export interface ChatAppOptions extends Omit<ChatRouterOptions, 'prefix'> {
  /** Trust `X-Forwarded-*` headers (behind a load balancer), so rate limits see the client's IP. */
  trustProxy?: boolean;
  /** Serve the element's bundle at `/widget/ai-chat.js` and the demo page at `/` (default: true). */
  serveWidget?: boolean | WidgetAssetPaths;
}

/** A Koa app running ai-chat, with the chat router it mounts (for shutdown and metrics). */
export interface ChatApp extends Koa {
  chatRouter: ChatRouter;
}

/**
 * A complete ai-chat server as a Koa app: the API of {@link createChatRouter} at the root, the element's bundle and
 * the demo page. Listen on it yourself, or use `startServer()` which also finds the database.
 *
 * @example
 * const app = createChatApp({ database, modelRegistry });
 * app.listen(3000);
 */
export function createChatApp(options: ChatAppOptions): ChatApp {
  const app = new Koa({ proxy: options.trustProxy ?? false }) as ChatApp;
  const router = createChatRouter(options);
  app.chatRouter = router;
  app.silent = true;
  app.use(router.routes());
  const assets = options.serveWidget ?? true;
  if (assets) app.use(widgetAssetsRoutes(assets === true ? findWidgetAssets() : assets).routes());
  return app;
}
