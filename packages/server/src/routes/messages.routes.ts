import type { Middleware } from 'koa';
import { FeedbackRequestSchema, MessageParamsSchema } from '@ai-chat/protocol';
import { currentUser } from '../middleware/authenticate.js';
import { parseBody, parseParams } from '../middleware/parse-input.js';
import type { ChatService } from '../services/chat.service.js';
import type { MessageService } from '../services/message.service.js';
import { createRouter } from './create-router.js';

/**
 * `/messages/:id`: show another version of a message (`POST /messages/:id/show`) and rate a reply
 * (`PUT /messages/:id/feedback`); both require a user, and another user's message is `404`.
 */
export function messagesRoutes(chat: ChatService, messages: MessageService, requireUser: Middleware) {
  const router = createRouter();

  router.post('/messages/:id/show', requireUser, async (ctx) => {
    const { id } = parseParams(ctx, MessageParamsSchema);
    ctx.body = { messages: await chat.show(currentUser(ctx)._id, id) };
  });

  router.put('/messages/:id/feedback', requireUser, async (ctx) => {
    const { id } = parseParams(ctx, MessageParamsSchema);
    const request = parseBody(ctx, FeedbackRequestSchema);
    ctx.body = { message: await messages.rate(currentUser(ctx)._id, id, request) };
  });

  return router;
}
