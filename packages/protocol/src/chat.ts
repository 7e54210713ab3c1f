import { z } from 'zod';
import { IdSchema } from './common.js';
import { ClientMessageIdSchema, MessageSchema } from './messages.js';
import { ModelIdSchema } from './models.js';
import { SessionSummarySchema } from './sessions.js';

/** The longest message a visitor may send, in characters. */
export const MAX_CONTENT_LENGTH = 32_000;

/** `POST /api/chat`. */
export const ChatRequestSchema = z.strictObject({
  sessionId: IdSchema,
  content: z
    .string()
    .max(MAX_CONTENT_LENGTH, `must be at most ${MAX_CONTENT_LENGTH} characters`)
    .refine((value) => value.trim().length > 0, 'must not be empty'),
  clientMessageId: ClientMessageIdSchema.optional(),
  model: ModelIdSchema.optional(),
});
/** The shape of {@link ChatRequestSchema}, as a client sends it (before defaults and coercion). */
export type ChatRequest = z.input<typeof ChatRequestSchema>;

/** Token counts a provider reported for one reply. */
export const UsageSchema = z.object({ inputTokens: z.number().int().min(0), outputTokens: z.number().int().min(0) });
/** The shape of {@link UsageSchema}, as on the wire. */
export type Usage = z.infer<typeof UsageSchema>;

/** The `error` of an `error` event and of a failed assistant message. */
export const StreamErrorSchema = z.object({ type: z.string(), message: z.string() });

/** Every event of the `POST /api/chat` Server-Sent Events stream, tagged by `type` (the SSE `event:` name). */
export const ChatEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message-start'), userMessage: MessageSchema, assistantMessage: MessageSchema }),
  z.object({ type: z.literal('text-delta'), messageId: IdSchema, delta: z.string() }),
  z.object({ type: z.literal('session-update'), session: SessionSummarySchema }),
  z.object({ type: z.literal('message-end'), message: MessageSchema, usage: UsageSchema.optional() }),
  z.object({ type: z.literal('error'), error: StreamErrorSchema }),
]);
/** The shape of {@link ChatEventSchema}, as on the wire. */
export type ChatEvent = z.infer<typeof ChatEventSchema>;
/** The names of the stream's events. */
export type ChatEventType = ChatEvent['type'];
/** One event of the stream by its name, e.g. `ChatEventOf<'text-delta'>`. */
export type ChatEventOf<T extends ChatEventType> = Extract<ChatEvent, { type: T }>;

/** `POST /api/chat` with `Accept: application/json`. */
export const ChatResponseSchema = z.object({ userMessage: MessageSchema, assistantMessage: MessageSchema });
/** The shape of {@link ChatResponseSchema}, as on the wire. */
export type ChatResponse = z.infer<typeof ChatResponseSchema>;
