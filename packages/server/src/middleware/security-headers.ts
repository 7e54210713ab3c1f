import helmet from 'koa-helmet';
import type { Middleware } from 'koa';

/**
 * Security headers for every response. The API and the demo page serve no third-party content, so the content
 * security policy is strict; `Cross-Origin-Resource-Policy` is `cross-origin` because host sites load the widget's
 * script and call the API from their own origins.
 */
export function securityHeaders(): Middleware {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
      },
    },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    crossOriginEmbedderPolicy: false,
  }) as Middleware;
}
