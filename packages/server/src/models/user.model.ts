import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { User } from '@ai-chat/protocol';

/** A stored user: an anonymous visitor or a user the host site identified. Its tokens are in `access_tokens`. */
export interface UserRecord {
  _id: Types.ObjectId;
  kind: 'anonymous' | 'identified';
  /**
   * SHA-256 (hex) of a visitor's token from before tokens had a collection of their own (0.1.0); such a token moves
   * to `access_tokens` on its first use.
   */
  tokenHash?: string;
  /** The host site's id for an identified user. */
  externalId?: string;
  createdAt: Date;
  updatedAt: Date;
}

const userSchema = new Schema<UserRecord>(
  {
    kind: { type: String, enum: ['anonymous', 'identified'], required: true },
    tokenHash: { type: String },
    externalId: { type: String },
  },
  { collection: 'users', timestamps: true, versionKey: false },
);
userSchema.index(
  { tokenHash: 1 },
  { unique: true, name: 'legacy_tokenHash', partialFilterExpression: { tokenHash: { $exists: true } } },
);

/** Indexes of `users` that older versions built and this one must drop (0.1.0 required a token hash on every user). */
export const LEGACY_USER_INDEXES = ['tokenHash_unique'];
userSchema.index(
  { externalId: 1 },
  { unique: true, name: 'externalId_unique', partialFilterExpression: { externalId: { $exists: true } } },
);

/** The mongoose model of `users`. */
export type UserModel = Model<UserRecord>;

/** Registers (once) and returns the users model on a connection. */
export function userModel(connection: Connection): UserModel {
  return (connection.models.User as UserModel | undefined) ?? connection.model<UserRecord>('User', userSchema);
}

/** A stored user in the contract's shape. */
export function toUser(record: Pick<UserRecord, '_id' | 'kind' | 'externalId' | 'createdAt'>): User {
  return {
    id: record._id.toHexString(),
    kind: record.kind,
    externalId: record.externalId ?? null,
    createdAt: record.createdAt.toISOString(),
  };
}
