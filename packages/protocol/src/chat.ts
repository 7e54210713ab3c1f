import { z } from 'zod';
import { IdSchema } from './common.js';
import { ClientMessageIdSchema, MessageSchema } from './messages.js';
import { ModelIdSchema } from './models.js';
import { SessionSummarySchema } from './sessions.js';

/** The longest message a visitor may send, in characters. */
export const MAX_CONTENT_LENGTH = 32_000;

/** The text of a message a visitor sends. */
const ContentSchema = z
  .string()
  .max(MAX_CONTENT_LENGTH, `must be at most ${MAX_CONTENT_LENGTH} characters`)
  .refine((value) => value.trim().length > 0, 'must not be empty');

/**
 * `POST /api/chat`, in one of three forms: a new message (`content`), a new version of the session's last reply
 * (`regenerate: true`, no `content`), or a new version of a user message (`editOf` with the new `content`), which
 * gets a new reply. Nothing is deleted: earlier versions stay stored and can be shown again.
 */
export const ChatRequestSchema = z
  .strictObject({
    sessionId: IdSchema,
    content: ContentSchema.optional(),
    regenerate: z.literal(true).optional(),
    editOf: IdSchema.optional(),
    clientMessageId: ClientMessageIdSchema.optional(),
    model: ModelIdSchema.optional(),
  })
  .superRefine((request, context) => {
    if (request.regenerate && request.editOf !== undefined) {
      context.addIssue({ code: 'custom', path: ['editOf'], message: 'cannot be combined with regenerate' });
    } else if (request.regenerate && request.content !== undefined) {
      context.addIssue({ code: 'custom', path: ['content'], message: 'must be absent when regenerating' });
    } else if (!request.regenerate && request.content === undefined) {
      context.addIssue({ code: 'custom', path: ['content'], message: 'is required' });
    }
  });
/** `POST /api/chat` with a new message. */
export interface SendMessageRequest {
  sessionId: string;
  content: string;
  clientMessageId?: string | undefined;
  /** The model to answer with (the session takes it). */
  model?: string | undefined;
  regenerate?: undefined;
  editOf?: undefined;
}
/** `POST /api/chat` with `regenerate: true`: a new version of the session's last reply, by the model picked now. */
export interface RegenerateRequest {
  sessionId: string;
  regenerate: true;
  clientMessageId?: string | undefined;
  model?: string | undefined;
  content?: undefined;
  editOf?: undefined;
}
/** `POST /api/chat` with `editOf`: a new version of that user message with new `content`, and a new reply to it. */
export interface EditMessageRequest {
  sessionId: string;
  editOf: string;
  content: string;
  clientMessageId?: string | undefined;
  model?: string | undefined;
  regenerate?: undefined;
}
/** The body of `POST /api/chat` as a client sends it: {@link ChatRequestSchema}'s three forms. */
export type ChatRequest = SendMessageRequest | RegenerateRequest | EditMessageRequest;
/** The body of `POST /api/chat` as the server reads it. */
export type ParsedChatRequest = z.output<typeof ChatRequestSchema>;

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
