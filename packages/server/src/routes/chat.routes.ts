import type { Middleware } from 'koa';
import { ChatRequestSchema, SessionParamsSchema } from '@ai-chat/protocol';
import { currentUser } from '../middleware/authenticate.js';
import { parseBody, parseParams } from '../middleware/parse-input.js';
import type { ChatService } from '../services/chat.service.js';
import { createRouter } from './create-router.js';
import { streamReply } from './sse-response.js';

/** `POST /chat` (a Server-Sent Events stream, or JSON) and `POST /sessions/:id/stop`; both require a user. */
export function chatRoutes(chat: ChatService, requireUser: Middleware, options: { pingIntervalMs: number }) {
  const router = createRouter();

  router.post('/chat', requireUser, async (ctx) => {
    const reply = await chat.send(currentUser(ctx)._id, parseBody(ctx, ChatRequestSchema));
    if (ctx.accepts('application/json', 'text/event-stream') === 'text/event-stream') return streamReply(ctx, reply, options);
    const { userMessage, assistantMessage, error } = await reply.result;
    if (error) throw error;
    ctx.body = { userMessage, assistantMessage };
  });

  router.post('/sessions/:id/stop', requireUser, async (ctx) => {
    const { id } = parseParams(ctx, SessionParamsSchema);
    await chat.stop(currentUser(ctx)._id, id);
    ctx.status = 202;
  });

  return router;
}
