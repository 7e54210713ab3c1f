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

/** The longest reason a visitor may give with a rating. */
export const FEEDBACK_REASON_MAX_LENGTH = 500;

/** A visitor's rating of a reply. */
export const RatingSchema = z.enum(['up', 'down']);
/** The shape of {@link RatingSchema}, as on the wire. */
export type Rating = z.infer<typeof RatingSchema>;

/** The rating a visitor gave a reply, with an optional short reason. */
export const FeedbackSchema = z.object({
  rating: RatingSchema,
  reason: z.string().max(FEEDBACK_REASON_MAX_LENGTH).optional(),
  updatedAt: TimestampSchema,
});
/** The shape of {@link FeedbackSchema}, as on the wire. */
export type Feedback = z.infer<typeof FeedbackSchema>;

/**
 * Where a message stands among its versions (a regenerated reply, an edited user message): `index` is 1-based in
 * the order the versions were written, `ids` lists every version in that order (for stepping with
 * `POST /api/messages/:id/show`). Only a message with other versions carries it.
 */
export const VersionsSchema = z.object({
  index: z.number().int().min(1),
  count: z.number().int().min(2),
  ids: z.array(IdSchema),
});
/** The shape of {@link VersionsSchema}, as on the wire. */
export type Versions = z.infer<typeof VersionsSchema>;

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
  /** Set when the message has other versions. */
  versions: VersionsSchema.optional(),
  /** An assistant message the visitor rated. */
  feedback: FeedbackSchema.optional(),
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

/** Path parameters of every route under `/api/messages/:id`. */
export const MessageParamsSchema = z.strictObject({ id: IdSchema });

/** `POST /api/messages/:id/show`: the version shown now, with everything after it on its branch (oldest first). */
export const ShowMessageResponseSchema = z.object({ messages: z.array(MessageSchema) });
/** The shape of {@link ShowMessageResponseSchema}, as on the wire. */
export type ShowMessageResponse = z.infer<typeof ShowMessageResponseSchema>;

/** `PUT /api/messages/:id/feedback`: `rating: null` takes the rating back (and its reason with it). */
export const FeedbackRequestSchema = z.strictObject({
  rating: RatingSchema.nullable(),
  reason: z.string().trim().max(FEEDBACK_REASON_MAX_LENGTH, `must be at most ${FEEDBACK_REASON_MAX_LENGTH} characters`).optional(),
});
/** The shape of {@link FeedbackRequestSchema}, as a client sends it (before defaults and coercion). */
export type FeedbackRequest = z.input<typeof FeedbackRequestSchema>;

/** `PUT /api/messages/:id/feedback`: the message as stored now. */
export const MessageResponseSchema = z.object({ message: MessageSchema });
/** The shape of {@link MessageResponseSchema}, as on the wire. */
export type MessageResponse = z.infer<typeof MessageResponseSchema>;
