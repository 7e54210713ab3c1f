import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import type { Connection } from 'mongoose';
import { AppError } from '../errors/app-error.js';
import type { Metrics } from '../observability/metrics.js';
import { createOpenApiDocument } from './openapi.js';
import { createRouter } from './create-router.js';

/** Who may read `/metrics`: the holder of `token` when there is one, anyone when `isPublic`, otherwise nobody. */
export interface MetricsAccess {
  token?: string | undefined;
  isPublic?: boolean | undefined;
}

/**
 * `/healthz` (the process is up), `/readyz` (the database answers), `/metrics` (Prometheus, behind its own bearer
 * token or not served at all by default) and `/api/openapi.json`.
 */
export function operationsRoutes(connection: Connection, metrics: Metrics, access: MetricsAccess) {
  const router = createRouter();
  let openApi: Record<string, unknown> | undefined;

  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });

  router.get('/readyz', async (ctx) => {
    const reachable = await pingDatabase(connection);
    if (!reachable) throw new AppError('unavailable', 'The database is not reachable', { retryAfter: 5 });
    ctx.body = { status: 'ready' };
  });

  router.get('/metrics', async (ctx) => {
    assertMetricsAccess(ctx, access);
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });

  router.get('/api/openapi.json', (ctx) => {
    openApi ??= createOpenApiDocument();
    ctx.body = openApi;
  });

  return router;
}

function assertMetricsAccess(ctx: Context, access: MetricsAccess): void {
  if (access.token === undefined) {
    if (access.isPublic) return;
    throw new AppError('not_found', 'Metrics are not served: set METRICS_TOKEN (or METRICS_PUBLIC=true)');
  }
  const sent = /^Bearer +(\S+)$/i.exec(ctx.get('Authorization'))?.[1];
  if (sent === undefined || !isSameSecret(sent, access.token)) {
    ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
    throw new AppError('unauthorized', 'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>');
  }
}

// Compared as hashes, so the time taken says nothing about the token, not even its length.
function isSameSecret(sent: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(sent), digest(expected));
}

async function pingDatabase(connection: Connection): Promise<boolean> {
  if (connection.readyState !== 1 || !connection.db) return false;
  const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), 2000).unref());
  const ping = connection.db.command({ ping: 1 }).then(() => true, () => false);
  return Promise.race([ping, timeout]);
}
