import Router from '@koa/router';
import type { ModelRegistry } from '../providers/model-registry.js';

/** `GET /models`: the models this deployment offers (never their keys or upstream addresses). */
export function modelsRoutes(registry: ModelRegistry): Router {
  const router = new Router();
  router.get('/models', (ctx) => {
    ctx.body = { models: registry.list() };
  });
  return router;
}
