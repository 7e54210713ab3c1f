import cors from '@koa/cors';
import type { Middleware } from 'koa';

/**
 * CORS for host sites. Authentication is a bearer token, never a cookie, so credentials are never allowed: with
 * `['*']` any origin may call the API; otherwise only the listed origins get CORS headers.
 */
export function corsForOrigins(allowedOrigins: string[]): Middleware {
  const anyOrigin = allowedOrigins.includes('*');
  const allowed = new Set(allowedOrigins);
  return cors({
    origin: (ctx) => {
      const origin = ctx.get('Origin');
      if (anyOrigin) return '*';
      return allowed.has(origin) ? origin : '';
    },
    credentials: false,
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'Accept', 'X-Request-Id', 'Last-Event-ID'],
    exposeHeaders: ['X-Request-Id', 'Retry-After'],
    maxAge: 600,
  });
}
