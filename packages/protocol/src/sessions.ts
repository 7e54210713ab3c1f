import { z } from 'zod';
import { IdSchema, RoleSchema, TimestampSchema } from './common.js';
import { MessageSchema } from './messages.js';
import { ModelIdSchema } from './models.js';
import { UserSchema } from './users.js';

/** The longest preview of a session's last message. */
export const PREVIEW_LENGTH = 160;

/** A session as the session list shows it: counters and the last message are kept on the session itself. */
export const SessionSummarySchema = z.object({
  id: IdSchema,
  title: z.string(),
  model: z.string(),
  messageCount: z.number().int().min(0),
  lastMessage: z
    .object({ role: RoleSchema, preview: z.string().max(PREVIEW_LENGTH), createdAt: TimestampSchema })
    .nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
/** The shape of {@link SessionSummarySchema}, as on the wire. */
export type SessionSummary = z.infer<typeof SessionSummarySchema>;

/** A chat session (a conversation). It may grow more fields than its summary. */
export const SessionSchema = SessionSummarySchema;
/** The shape of {@link SessionSchema}, as on the wire. */
export type Session = z.infer<typeof SessionSchema>;

/** The longest session title, in characters. */
export const TITLE_MAX_LENGTH = 100;

/** A session title as a visitor may set it. */
export const TitleSchema = z.string().trim().min(1, 'must not be empty').max(TITLE_MAX_LENGTH, `must be at most ${TITLE_MAX_LENGTH} characters`);

/** `POST /api/sessions`. */
export const CreateSessionRequestSchema = z.strictObject({
  model: ModelIdSchema.optional(),
  title: TitleSchema.optional(),
});
/** The shape of {@link CreateSessionRequestSchema}, as a client sends it (before defaults and coercion). */
export type CreateSessionRequest = z.input<typeof CreateSessionRequestSchema>;

/** `PATCH /api/sessions/:id`. */
export const UpdateSessionRequestSchema = z.strictObject({
  title: TitleSchema.optional(),
  model: ModelIdSchema.optional(),
});
/** The shape of {@link UpdateSessionRequestSchema}, as a client sends it (before defaults and coercion). */
export type UpdateSessionRequest = z.input<typeof UpdateSessionRequestSchema>;

/** The longest search text `GET /api/sessions?q=` accepts. */
export const SEARCH_QUERY_MAX_LENGTH = 200;

/** The longest snippet of a search match. */
export const SNIPPET_LENGTH = 200;

/**
 * Where a search found a session in its messages: the message, a snippet of its text around the match (at most 200
 * characters), and the ranges `[start, end)` of the matched words in the snippet, so a client can mark them without
 * parsing. A session found by its title alone has no `match`.
 */
export const SearchMatchSchema = z.object({
  messageId: IdSchema,
  snippet: z.string().max(SNIPPET_LENGTH),
  highlights: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)])),
});
/** The shape of {@link SearchMatchSchema}, as on the wire. */
export type SearchMatch = z.infer<typeof SearchMatchSchema>;

/** A session in a list: with `q`, a search result carries where its message text matched. */
export const SessionListItemSchema = SessionSummarySchema.extend({ match: SearchMatchSchema.optional() });
/** The shape of {@link SessionListItemSchema}, as on the wire. */
export type SessionListItem = z.infer<typeof SessionListItemSchema>;

/** Query of `GET /api/sessions`. The cursor is opaque: pass back the `nextCursor` of the previous page. */
export const ListSessionsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: z.string().min(1).max(200).optional(),
  /** Finds sessions by title and message text (whole words, any of them; the best matches first). */
  q: z.string().trim().min(1, 'must not be empty').max(SEARCH_QUERY_MAX_LENGTH, `must be at most ${SEARCH_QUERY_MAX_LENGTH} characters`).optional(),
});
/** The shape of {@link ListSessionsQuerySchema}, as a client sends it (before defaults and coercion). */
export type ListSessionsQuery = z.input<typeof ListSessionsQuerySchema>;

/** `GET /api/sessions`: most recently active first. */
export const ListSessionsResponseSchema = z.object({
  sessions: z.array(SessionListItemSchema),
  nextCursor: z.string().nullable(),
});
/** The shape of {@link ListSessionsResponseSchema}, as on the wire. */
export type ListSessionsResponse = z.infer<typeof ListSessionsResponseSchema>;

/** `POST /api/sessions`, `GET|PATCH /api/sessions/:id`. */
export const SessionResponseSchema = z.object({ session: SessionSchema });
/** The shape of {@link SessionResponseSchema}, as on the wire. */
export type SessionResponse = z.infer<typeof SessionResponseSchema>;

/**
 * A message as exported: every version, with `shown` (whether it is on the branch the conversation shows) and
 * `parentId` (the message it follows; `null` for a first message), from which the whole tree can be rebuilt.
 */
export const ExportedMessageSchema = MessageSchema.extend({ shown: z.boolean(), parentId: IdSchema.nullable() });
/** The shape of {@link ExportedMessageSchema}, as on the wire. */
export type ExportedMessage = z.infer<typeof ExportedMessageSchema>;

/** `GET /api/users/me/export`: every session of the user with all its messages (every version, with feedback). */
export const ExportResponseSchema = z.object({
  user: UserSchema,
  sessions: z.array(SessionSchema.extend({ messages: z.array(ExportedMessageSchema) })),
  exportedAt: TimestampSchema,
});
/** The shape of {@link ExportResponseSchema}, as on the wire. */
export type ExportResponse = z.infer<typeof ExportResponseSchema>;
