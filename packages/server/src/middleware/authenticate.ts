import type { Context, Middleware } from 'koa';
import { AppError } from '../errors/app-error.js';
import type { AuthenticatedUser, IdentityService } from '../services/identity.service.js';

/** The bearer token of a request, if it carries one. */
export function bearerToken(ctx: Context): string | undefined {
  return /^Bearer\s+([A-Za-z0-9._~+/=-]{16,512})$/.exec(ctx.get('Authorization'))?.[1];
}

/** Requires a valid bearer token and puts its user on `ctx.state.user`; otherwise `401 unauthorized`. */
export function authenticate(identity: IdentityService): Middleware {
  return async (ctx, next) => {
    const token = bearerToken(ctx);
    if (!ctx.get('Authorization')) throw new AppError('unauthorized', 'Send a bearer token: Authorization: Bearer <token>');
    const user = token ? await identity.findByToken(token) : undefined;
    if (!user) throw new AppError('unauthorized', 'The bearer token is not valid (unknown or erased user)');
    ctx.state.user = user;
    await next();
  };
}

/** The authenticated user of a request that passed {@link authenticate}. */
export function currentUser(ctx: Context): AuthenticatedUser {
  return ctx.state.user as AuthenticatedUser;
}
