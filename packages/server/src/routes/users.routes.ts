import type { Middleware } from 'koa';
import { CreateUserRequestSchema, IdentifyRequestSchema } from '@ai-chat/protocol';
import { bearerToken, currentUser } from '../middleware/authenticate.js';
import { parseBody } from '../middleware/parse-input.js';
import type { IdentityService } from '../services/identity.service.js';
import { createRouter } from './create-router.js';

/**
 * `/users`: anonymous visitors, identification by a host-signed token, the current user, sign-out, erase and
 * export. `requireUser` guards every route about the current user.
 */
export function usersRoutes(identity: IdentityService, requireUser: Middleware) {
  const router = createRouter();

  router.post('/users', async (ctx) => {
    parseBody(ctx, CreateUserRequestSchema);
    ctx.status = 201;
    ctx.body = await identity.createAnonymousUser();
  });

  router.post('/users/identify', async (ctx) => {
    const { userToken } = parseBody(ctx, IdentifyRequestSchema);
    const token = bearerToken(ctx);
    // The visitor whose sessions move is read afresh: another process may have merged or erased it a moment ago.
    const visitor = token ? await identity.findByToken(token, { fresh: true }) : undefined;
    ctx.body = await identity.identify(userToken, visitor);
  });

  router.get('/users/me', requireUser, (ctx) => {
    ctx.body = { user: identity.describe(currentUser(ctx)) };
  });

  router.delete('/users/me', requireUser, async (ctx) => {
    await identity.erase(currentUser(ctx)._id);
    ctx.status = 204;
  });

  router.post('/users/me/sign-out', requireUser, async (ctx) => {
    await identity.signOut(bearerToken(ctx)!);
    ctx.status = 204;
  });

  router.get('/users/me/export', requireUser, async (ctx) => {
    ctx.set('Content-Disposition', 'attachment; filename="ai-chat-export.json"');
    ctx.body = await identity.export(currentUser(ctx));
  });

  return router;
}
