import Router from '@koa/router';

/**
 * A router with the server's one canonical path form: case-sensitive and strict, so `/api/sessions` matches and
 * `/API/SESSIONS`, `/api/sessions/` or `/api//sessions` are 404s that reach no handler. Every router here is made
 * by it, so nested routers agree.
 */
export function createRouter(prefix?: string): Router {
  return new Router({ ...(prefix ? { prefix } : {}), sensitive: true, strict: true });
}
