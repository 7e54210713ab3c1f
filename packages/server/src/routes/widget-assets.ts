import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import type { Context } from 'koa';
import { ENCODINGS, loadCompressedFile, type CompressedFile } from '../assets/compressed-file.js';
import { AppError } from '../errors/app-error.js';
import { pageContentSecurityPolicy } from '../middleware/security-headers.js';
import { createRouter } from './create-router.js';

/** Where the element's bundle and the demo page are read from; the bundle's on-demand chunks sit next to it. */
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

const YEAR = 'public, max-age=31536000, immutable';
const REVALIDATE = 'public, max-age=300, must-revalidate';
// Chunk names are content-hashed by the build (`chunks/<name>-<hash>.js`); nothing else under /widget is served.
const CHUNK_NAME = /^[A-Za-z0-9_-]+\.js$/;

/** Options of {@link widgetAssetsRoutes}. */
export interface WidgetAssetsOptions {
  /** Who may show the demo page in a frame (CSP `frame-ancestors`): `'self'` or origins; empty means nobody. */
  frameAncestors?: readonly string[];
}

/**
 * Serves the element's single-file bundle at `/widget/ai-chat.js`, the chunks it loads on demand at
 * `/widget/chunks/<name>.js`, and the demo page at `/`. Each file is sent brotli- or gzip-compressed as the browser
 * accepts (compressed once, at first use), revalidated by ETag, and cached for a year where its URL names its
 * content: the versioned bundle URL (`/widget/ai-chat.js?v=<content hash>`, which the demo page uses) and the
 * content-hashed chunks. Other sites embed the bundle, so it is readable cross-origin. The demo page is served under
 * a strict content security policy.
 */
export function widgetAssetsRoutes(paths: WidgetAssetPaths | undefined, options: WidgetAssetsOptions = {}) {
  const router = createRouter();
  const files = new Map<string, Promise<CompressedFile | undefined>>();
  const load = (path: string) => {
    let file = files.get(path);
    if (!file) {
      // A failed read is not remembered: the build may still be on its way.
      file = loadCompressedFile(path).catch(() => (files.delete(path), undefined));
      files.set(path, file);
    }
    return file;
  };
  const bundle = () => (paths ? load(paths.bundle) : Promise.resolve(undefined));

  router.get('/widget/ai-chat.js', async (ctx) => {
    const file = await bundle();
    if (!file) throw new AppError('not_found', 'The widget is not built yet: run `npm run build`.');
    sendFile(ctx, file, ctx.query.v === file.version ? YEAR : REVALIDATE);
  });

  router.get('/widget/chunks/:name', async (ctx) => {
    const name = ctx.params.name ?? '';
    const file = paths && CHUNK_NAME.test(name) ? await load(join(dirname(paths.bundle), 'chunks', basename(name))) : undefined;
    if (!file) throw new AppError('not_found', 'No such chunk.');
    sendFile(ctx, file, YEAR);
  });

  // Browsers ask for it on every page; an empty answer keeps their consoles free of 404s.
  router.get('/favicon.ico', (ctx) => {
    ctx.status = 204;
    ctx.set('Cache-Control', 'public, max-age=86400');
  });

  router.get('/', async (ctx) => {
    const [file, page] = await Promise.all([bundle(), paths ? load(paths.demoPage) : undefined]);
    const html = page
      ? page.identity.toString('utf8').replace('/widget/ai-chat.js"', `/widget/ai-chat.js?v=${file?.version ?? 'dev'}"`)
      : '<!doctype html><title>ai-chat</title><p>The demo page is not built yet: run <code>npm run build</code>.</p>';
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('Content-Security-Policy', pageContentSecurityPolicy(html, options.frameAncestors ?? []));
    ctx.body = html;
  });

  return router;
}

/** Our preference (brotli is smaller), among what the browser accepts; no `Accept-Encoding` at all means identity. */
function chooseEncoding(ctx: Context): (typeof ENCODINGS)[number] {
  if (!ctx.get('Accept-Encoding')) return 'identity';
  return ENCODINGS.find((encoding) => encoding === 'identity' || ctx.acceptsEncodings(encoding) === encoding) ?? 'identity';
}

/** Sends a script in the best encoding the browser accepts, or a 304 when its copy is current. */
function sendFile(ctx: Context, file: CompressedFile, cacheControl: string): void {
  const encoding = chooseEncoding(ctx);
  ctx.type = 'text/javascript; charset=utf-8';
  ctx.set('Access-Control-Allow-Origin', '*');
  ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
  ctx.set('Cache-Control', cacheControl);
  ctx.vary('Accept-Encoding');
  // One validator per encoding: the bytes differ, so a cache must not swap one for another.
  ctx.etag = `${file.version}-${encoding}`;
  ctx.status = 200; // Koa judges freshness only for a 2xx response
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  if (encoding !== 'identity') ctx.set('Content-Encoding', encoding);
  ctx.body = file[encoding];
}
