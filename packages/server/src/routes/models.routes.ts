import type { Middleware } from 'koa';
import type { ModelRegistry } from '../providers/model-registry.js';
import { createRouter } from './create-router.js';

/** `GET /models`: the models this deployment offers (never their keys or upstream addresses); requires a user. */
export function modelsRoutes(registry: ModelRegistry, requireUser: Middleware) {
  const router = createRouter();
  router.get('/models', requireUser, (ctx) => {
    ctx.body = { models: registry.list() };
  });
  return router;
}
