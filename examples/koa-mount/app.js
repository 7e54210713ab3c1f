// @ts-check
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import { signChatToken } from './chat-token.js';
import { renderHomePage, renderLoginPage } from './pages.js';

/** This app's users. A toy: a real app checks hashed passwords in its own database. */
const USERS = new Map([
  ['alice', { name: 'Alice', password: 'alice-password' }],
  ['bob', { name: 'Bob', password: 'bob-password' }],
]);
const SESSION_COOKIE = 'acme_user';

/**
 * The host app: its own sign-in with a signed cookie, its own pages, and the chat router mounted under `/chat`.
 * @param {{ chatRouter: import('@ai-chat/server').ChatRouter, identitySecret: string, cookieKeys: string[] }} options
 */
export function createHostApp({ chatRouter, identitySecret, cookieKeys }) {
  const app = new Koa();
  app.keys = cookieKeys;
  // The chat router brings its own middleware (errors, CORS, rate limits, JSON bodies) for /chat/api/* only.
  app.use(chatRouter.routes());
  app.use(createSiteRouter(identitySecret).routes());
  return app;
}

/** @param {string} identitySecret */
function createSiteRouter(identitySecret) {
  const router = new Router();
  const widgetBundle = createRequire(import.meta.url).resolve('@ai-chat/widget/ai-chat.js');
  const cookieOptions = /** @type {const} */ ({ signed: true, httpOnly: true, sameSite: 'lax', maxAge: 8 * 3600_000 });

  router.get('/', async (ctx) => {
    const userId = ctx.cookies.get(SESSION_COOKIE, { signed: true });
    const user = userId ? USERS.get(userId) : undefined;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = user && userId
      ? renderHomePage({ userName: user.name, chatToken: await signChatToken(userId, identitySecret) })
      : renderLoginPage();
  });

  // Form bodies are parsed on this route only, so the chat's JSON requests reach the chat router untouched.
  router.post('/login', bodyParser({ enableTypes: ['form'] }), (ctx) => {
    const { username = '', password = '' } = /** @type {Record<string, string>} */ (ctx.request.body ?? {});
    const userId = username.trim().toLowerCase();
    if (USERS.get(userId)?.password !== password) {
      ctx.status = 401;
      ctx.type = 'html';
      ctx.body = renderLoginPage({ error: 'Wrong user or password.' });
      return;
    }
    ctx.cookies.set(SESSION_COOKIE, userId, cookieOptions);
    ctx.redirect('/');
  });

  router.post('/logout', (ctx) => {
    ctx.cookies.set(SESSION_COOKIE, null, cookieOptions);
    ctx.redirect('/');
  });

  router.get('/assets/ai-chat.js', async (ctx) => {
    ctx.type = 'text/javascript';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = await readFile(widgetBundle);
  });

  // The bundle loads parts of itself on demand (markdown lexer, code highlighter, languages) from `chunks/` next to
  // it: a site that serves ai-chat.js itself serves those too. Their names are content-hashed, so they never change.
  router.get('/assets/chunks/:name', async (ctx) => {
    const name = ctx.params.name ?? '';
    if (!/^[\w-]+\.js$/.test(name)) return;
    const file = await readFile(join(dirname(widgetBundle), 'chunks', name)).catch(() => undefined);
    if (!file) return;
    ctx.type = 'text/javascript';
    ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
    ctx.body = file;
  });

  router.get('/assets/site.css', async (ctx) => {
    ctx.type = 'text/css';
    ctx.body = await readFile(new URL('./site.css', import.meta.url));
  });

  return router;
}
