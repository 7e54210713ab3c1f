import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics.js';

/**
 * Logs one line per request (id, method, route, status, duration; never headers, tokens or bodies) and records
 * request counts and durations by route template (`unmatched` when no route took the request, e.g. a body refused
 * before routing), so ids and junk in paths do not explode the metrics' label values.
 */
export function requestLogger(logger: Logger, metrics: Metrics): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      // Never the raw path: a request's own path as a label value would let anyone grow the metrics without bound.
      const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
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
