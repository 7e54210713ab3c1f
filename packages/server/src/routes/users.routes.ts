import Router from '@koa/router';
import { CreateUserRequestSchema, IdentifyRequestSchema } from '@ai-chat/protocol';
import { authenticate, bearerToken, currentUser } from '../middleware/authenticate.js';
import { parseBody } from '../middleware/parse-input.js';
import type { IdentityService } from '../services/identity.service.js';

/** `/users`: anonymous visitors, identification by a host-signed token, the current user, erase and export. */
export function usersRoutes(identity: IdentityService): Router {
  const router = new Router({ prefix: '/users' });
  const requireUser = authenticate(identity);

  router.post('/', async (ctx) => {
    parseBody(ctx, CreateUserRequestSchema);
    ctx.status = 201;
    ctx.body = await identity.createAnonymousUser();
  });

  router.post('/identify', async (ctx) => {
    const { userToken } = parseBody(ctx, IdentifyRequestSchema);
    const token = bearerToken(ctx);
    const visitor = token ? await identity.findByToken(token) : undefined;
    ctx.body = await identity.identify(userToken, visitor);
  });

  router.get('/me', requireUser, (ctx) => {
    ctx.body = { user: identity.describe(currentUser(ctx)) };
  });

  router.delete('/me', requireUser, async (ctx) => {
    await identity.erase(currentUser(ctx)._id);
    ctx.status = 204;
  });

  router.get('/me/export', requireUser, async (ctx) => {
    ctx.set('Content-Disposition', 'attachment; filename="ai-chat-export.json"');
    ctx.body = await identity.export(currentUser(ctx));
  });

  return router;
}
