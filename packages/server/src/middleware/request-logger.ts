import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics.js';

/**
 * Logs one line per request (id, method, route, status, duration; never headers, tokens or bodies) and records
 * request counts and durations by route template, so ids in paths do not explode the metrics' label values.
 */
export function requestLogger(logger: Logger, metrics: Metrics): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? (ctx.status === 404 ? 'unmatched' : ctx.path);
      const labels = { method: ctx.method, route: String(route), status: String(ctx.status) };
      const seconds = (performance.now() - started) / 1000;
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, seconds);
      if (ctx.path !== '/healthz' && ctx.path !== '/readyz' && ctx.path !== '/metrics') {
        logger.info(
          { requestId: ctx.state.requestId, method: ctx.method, route: labels.route, status: ctx.status, ms: Math.round(seconds * 1000) },
          'request',
        );
      }
    }
  };
}
