import type { Context, Middleware } from 'koa';
import { AppError } from '../errors/app-error.js';
import type { AuthenticatedUser, IdentityService } from '../services/identity.service.js';

// The auth scheme is case-insensitive (RFC 9110); the token is what this server issues (base64url), with some room.
const BEARER = /^Bearer +([A-Za-z0-9._~+/=-]{16,512})$/i;

/** The bearer token of a request, if it carries one. */
export function bearerToken(ctx: Context): string | undefined {
  return BEARER.exec(ctx.get('Authorization'))?.[1];
}

/** Where {@link lookUpBearer} leaves the lookup of a request's token for {@link authenticate}. */
const LOOKUP = 'bearerLookup';

/**
 * Starts resolving the request's bearer token (if it has one) without waiting for it, so that the lookup runs beside
 * what comes before the route (the rate limit counters) instead of after it; {@link authenticate} awaits it.
 */
export function lookUpBearer(identity: IdentityService): Middleware {
  return (ctx, next) => {
    const token = bearerToken(ctx);
    if (token) {
      const lookup = identity.findByToken(token);
      // Awaited by authenticate; a request refused before (rate limit, 404) leaves it unawaited, and that is fine.
      lookup.catch(() => undefined);
      ctx.state[LOOKUP] = { token, lookup };
    }
    return next();
  };
}

/**
 * Route middleware that requires a valid bearer token and puts its user on `ctx.state.user`; otherwise
 * `401 unauthorized`. Every route that needs a user lists it, so no spelling of a path can reach a handler without it.
 */
export function authenticate(identity: IdentityService): Middleware {
  return async (ctx, next) => {
    if (!ctx.get('Authorization')) throw new AppError('unauthorized', 'Send a bearer token: Authorization: Bearer <token>');
    const token = bearerToken(ctx);
    const early = ctx.state[LOOKUP] as { token: string; lookup: Promise<AuthenticatedUser | undefined> } | undefined;
    const user = token ? await (early?.token === token ? early.lookup : identity.findByToken(token)) : undefined;
    if (!user) throw new AppError('unauthorized', 'The bearer token is not valid (unknown, expired, signed out or erased user)');
    ctx.state.user = user;
    await next();
  };
}

/** The authenticated user of a request that passed {@link authenticate}; a route that forgot it answers 401, not 500. */
export function currentUser(ctx: Context): AuthenticatedUser {
  const user = ctx.state.user as AuthenticatedUser | undefined;
  if (!user) throw new AppError('unauthorized', 'Send a bearer token: Authorization: Bearer <token>');
  return user;
}
