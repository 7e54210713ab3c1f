import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';

/** A visitor or an identified user of a deployment. `externalId` is the host site's id for an identified user. */
export const UserSchema = z.object({
  id: IdSchema,
  kind: z.enum(['anonymous', 'identified']),
  externalId: z.string().nullable(),
  createdAt: TimestampSchema,
});
/** The shape of {@link UserSchema}, as on the wire. */
export type User = z.infer<typeof UserSchema>;

/** `POST /api/users` and `POST /api/users/identify` answer with the user and the bearer token to use from now on. */
export const UserWithTokenSchema = z.object({ user: UserSchema, token: z.string() });
/** The shape of {@link UserWithTokenSchema}, as on the wire. */
export type UserWithToken = z.infer<typeof UserWithTokenSchema>;

/** `POST /api/users` takes an empty body (or none). */
export const CreateUserRequestSchema = z.strictObject({});
/** The shape of {@link CreateUserRequestSchema}, as on the wire. */
export type CreateUserRequest = z.infer<typeof CreateUserRequestSchema>;

/** `POST /api/users/identify`: a JWT signed (HS256) by the host site's backend, `sub` = its user id, `exp` required. */
export const IdentifyRequestSchema = z.strictObject({
  userToken: z.string().min(1, 'must not be empty').max(4096),
});
/** The shape of {@link IdentifyRequestSchema}, as on the wire. */
export type IdentifyRequest = z.infer<typeof IdentifyRequestSchema>;

/** `GET /api/users/me`. */
export const UserResponseSchema = z.object({ user: UserSchema });
/** The shape of {@link UserResponseSchema}, as on the wire. */
export type UserResponse = z.infer<typeof UserResponseSchema>;
