import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AppError } from '../errors/app-error.js';
import { pageContentSecurityPolicy } from '../middleware/security-headers.js';
import { createRouter } from './create-router.js';

/** Where the element's bundle and the demo page are read from. */
export interface WidgetAssetPaths {
  bundle: string;
  demoPage: string;
}

/** The built files of `@ai-chat/widget`, found through the package's own `exports`. */
export function findWidgetAssets(): WidgetAssetPaths | undefined {
  try {
    const require = createRequire(import.meta.url);
    const bundle = require.resolve('@ai-chat/widget/ai-chat.js');
    return { bundle, demoPage: join(dirname(bundle), '..', 'demo', 'index.html') };
  } catch {
    return undefined;
  }
}

/** Options of {@link widgetAssetsRoutes}. */
export interface WidgetAssetsOptions {
  /** Who may show the demo page in a frame (CSP `frame-ancestors`): `'self'` or origins; empty means nobody. */
  frameAncestors?: readonly string[];
}

/**
 * Serves the element's single-file bundle at `/widget/ai-chat.js` (loadable from any site) and the demo page at `/`
 * (under a strict content security policy). The bundle is revalidated by ETag; its versioned URL
 * (`/widget/ai-chat.js?v=<content hash>`, which the demo page uses) is cached for a year.
 */
export function widgetAssetsRoutes(paths: WidgetAssetPaths | undefined, options: WidgetAssetsOptions = {}) {
  const router = createRouter();
  let cached: { bundle: Buffer; version: string } | undefined;
  const load = async () => {
    if (!paths) throw new Error('missing');
    const bundle = await readFile(paths.bundle);
    cached = { bundle, version: createHash('sha256').update(bundle).digest('hex').slice(0, 12) };
    return cached;
  };

  router.get('/widget/ai-chat.js', async (ctx) => {
    const asset = await (cached ? Promise.resolve(cached) : load()).catch(() => undefined);
    if (!asset) throw new AppError('not_found', 'The widget is not built yet: run `npm run build`.');
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
    ctx.set('Cache-Control', ctx.query.v === asset.version ? 'public, max-age=31536000, immutable' : 'public, max-age=300, must-revalidate');
    ctx.etag = asset.version;
    ctx.status = 200; // Koa judges freshness only for a 2xx response
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.body = asset.bundle;
  });

  // Browsers ask for it on every page; an empty answer keeps their consoles free of 404s.
  router.get('/favicon.ico', (ctx) => {
    ctx.status = 204;
    ctx.set('Cache-Control', 'public, max-age=86400');
  });

  router.get('/', async (ctx) => {
    const asset = await (cached ? Promise.resolve(cached) : load()).catch(() => undefined);
    const page = paths ? await readFile(paths.demoPage, 'utf8').catch(() => undefined) : undefined;
    const html = page
      ? page.replace('/widget/ai-chat.js"', `/widget/ai-chat.js?v=${asset?.version ?? 'dev'}"`)
      : '<!doctype html><title>ai-chat</title><p>The demo page is not built yet: run <code>npm run build</code>.</p>';
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('Content-Security-Policy', pageContentSecurityPolicy(html, options.frameAncestors ?? []));
    ctx.body = html;
  });

  return router;
}
