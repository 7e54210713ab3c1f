import type { Middleware } from 'koa';
import {
  CreateSessionRequestSchema,
  ListMessagesQuerySchema,
  ListSessionsQuerySchema,
  SessionParamsSchema,
  UpdateSessionRequestSchema,
} from '@ai-chat/protocol';
import { currentUser } from '../middleware/authenticate.js';
import { parseBody, parseParams, parseQuery } from '../middleware/parse-input.js';
import type { MessageService } from '../services/message.service.js';
import type { SessionService } from '../services/session.service.js';
import { createRouter } from './create-router.js';

/** `/sessions`: a user's chat sessions and their message history; every route requires a user (`requireUser`). */
export function sessionsRoutes(sessions: SessionService, messages: MessageService, requireUser: Middleware) {
  const router = createRouter();

  router.post('/sessions', requireUser, async (ctx) => {
    const request = parseBody(ctx, CreateSessionRequestSchema);
    ctx.status = 201;
    ctx.body = { session: await sessions.create(currentUser(ctx)._id, request) };
  });

  router.get('/sessions', requireUser, async (ctx) => {
    const query = parseQuery(ctx, ListSessionsQuerySchema);
    ctx.body = await sessions.list(currentUser(ctx)._id, query);
  });

  router.get('/sessions/:id', requireUser, async (ctx) => {
    const { id } = parseParams(ctx, SessionParamsSchema);
    ctx.body = { session: await sessions.retrieve(currentUser(ctx)._id, id) };
  });

  router.patch('/sessions/:id', requireUser, async (ctx) => {
    const { id } = parseParams(ctx, SessionParamsSchema);
    const request = parseBody(ctx, UpdateSessionRequestSchema);
    ctx.body = { session: await sessions.update(currentUser(ctx)._id, id, request) };
  });

  router.delete('/sessions/:id', requireUser, async (ctx) => {
    const { id } = parseParams(ctx, SessionParamsSchema);
    await sessions.delete(currentUser(ctx)._id, id);
    ctx.status = 204;
  });

  router.get('/sessions/:id/messages', requireUser, async (ctx) => {
    const { id } = parseParams(ctx, SessionParamsSchema);
    const query = parseQuery(ctx, ListMessagesQuerySchema);
    const user = currentUser(ctx);
    const session = await sessions.findOwned(user._id, id);
    ctx.body = await messages.list(user._id, session._id, query);
  });

  return router;
}

