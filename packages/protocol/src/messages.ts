import { z } from 'zod';
import { IdSchema, RoleSchema, TimestampSchema } from './common.js';

/** Where a message stands: assistant messages are `streaming` while written, then end in one of the others. */
export const MessageStatusSchema = z.enum(['complete', 'streaming', 'stopped', 'error']);
/** The shape of {@link MessageStatusSchema}, as on the wire. */
export type MessageStatus = z.infer<typeof MessageStatusSchema>;

/** A client-chosen id that makes sending a message idempotent within a session. */
export const ClientMessageIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'may hold only letters, digits and _ . : -');

/** One message of a session. */
export const MessageSchema = z.object({
  id: IdSchema,
  sessionId: IdSchema,
  role: RoleSchema,
  content: z.string(),
  model: z.string().nullable(),
  status: MessageStatusSchema,
  error: z.object({ type: z.string(), message: z.string() }).optional(),
  clientMessageId: z.string().optional(),
  createdAt: TimestampSchema,
});
/** The shape of {@link MessageSchema}, as on the wire. */
export type Message = z.infer<typeof MessageSchema>;

/** Query of `GET /api/sessions/:id/messages`: `before` pages back in time from a message id. */
export const ListMessagesQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  before: IdSchema.optional(),
});
/** The shape of {@link ListMessagesQuerySchema}, as a client sends it (before defaults and coercion). */
export type ListMessagesQuery = z.input<typeof ListMessagesQuerySchema>;

/** `GET /api/sessions/:id/messages`: oldest first within the page. */
export const ListMessagesResponseSchema = z.object({ messages: z.array(MessageSchema), hasMore: z.boolean() });
/** The shape of {@link ListMessagesResponseSchema}, as on the wire. */
export type ListMessagesResponse = z.infer<typeof ListMessagesResponseSchema>;
