import Router from '@koa/router';
import type { Connection } from 'mongoose';
import { AppError } from '../errors/app-error.js';
import type { Metrics } from '../observability/metrics.js';
import { createOpenApiDocument } from './openapi.js';

/** `/healthz` (the process is up), `/readyz` (the database answers), `/metrics` (Prometheus), `/api/openapi.json`. */
export function operationsRoutes(connection: Connection, metrics: Metrics): Router {
  const router = new Router();
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
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });

  router.get('/api/openapi.json', (ctx) => {
    openApi ??= createOpenApiDocument();
    ctx.body = openApi;
  });

  return router;
}

async function pingDatabase(connection: Connection): Promise<boolean> {
  if (connection.readyState !== 1 || !connection.db) return false;
  const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), 2000).unref());
  const ping = connection.db.command({ ping: 1 }).then(() => true, () => false);
  return Promise.race([ping, timeout]);
}
