import type { Middleware } from 'koa';
import { ChatRequestSchema, SessionParamsSchema } from '@ai-chat/protocol';
import { AppError } from '../errors/app-error.js';
import { currentUser } from '../middleware/authenticate.js';
import { parseBody, parseParams } from '../middleware/parse-input.js';
import type { ChatService } from '../services/chat.service.js';
import { createRouter } from './create-router.js';
import { streamReply } from './sse-response.js';

/** `POST /chat` (a Server-Sent Events stream, or JSON) and `POST /sessions/:id/stop`; both require a user. */
export function chatRoutes(chat: ChatService, requireUser: Middleware, options: { pingIntervalMs: number }) {
  const router = createRouter();

  router.post('/chat', requireUser, async (ctx) => {
    const request = parseBody(ctx, ChatRequestSchema);
    const reply = await chat.send(currentUser(ctx)._id, request);
    if (ctx.accepts('application/json', 'text/event-stream') === 'text/event-stream') {
      streamReply(ctx, reply, options);
      return;
    }
    const { userMessage, assistantMessage } = await reply.finished;
    if (assistantMessage.status === 'error') {
      throw new AppError('provider_error', assistantMessage.error?.message ?? 'The AI provider failed', {
        details: [{ path: 'assistantMessage', message: `stored as ${assistantMessage.id} with status error` }],
      });
    }
    ctx.body = { userMessage, assistantMessage };
  });

  router.post('/sessions/:id/stop', requireUser, async (ctx) => {
    const { id } = parseParams(ctx, SessionParamsSchema);
    await chat.stop(currentUser(ctx)._id, id);
    ctx.status = 202;
  });

  return router;
}
