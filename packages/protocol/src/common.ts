import { z } from 'zod';

/** A server-made id: MongoDB's ObjectId as 24 lowercase hexadecimal characters. */
export const IdSchema = z.string().regex(/^[0-9a-f]{24}$/, 'must be a 24-character hexadecimal id');

/** A point in time as an ISO 8601 string, as every date on the wire is. */
export const TimestampSchema = z.iso.datetime({ offset: true });

/** Who wrote a message. */
export const RoleSchema = z.enum(['user', 'assistant', 'system']);
/** The shape of {@link RoleSchema}, as on the wire. */
export type Role = z.infer<typeof RoleSchema>;

/** Path parameters of every route under `/api/sessions/:id`. */
export const SessionParamsSchema = z.strictObject({ id: IdSchema });
