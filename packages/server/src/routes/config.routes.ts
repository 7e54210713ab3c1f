import { LIMITS, type ConfigResponse } from '@ai-chat/protocol';
import type { ModelRegistry } from '../providers/model-registry.js';
import { createRouter } from './create-router.js';

/** How long browsers and proxies may reuse `GET /api/config` (a deployment changes it only on restart). */
const CACHE_SECONDS = 300;

/** `GET /config`: the limits and starter prompts the element needs before a visitor types. No token needed. */
export function configRoutes(registry: Pick<ModelRegistry, 'starters'>) {
  const router = createRouter();
  const body: ConfigResponse = { limits: LIMITS, starters: registry.starters };
  router.get('/config', (ctx) => {
    ctx.set('Cache-Control', `public, max-age=${CACHE_SECONDS}`);
    ctx.body = body;
  });
  return router;
}
