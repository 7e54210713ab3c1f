import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { User } from '@ai-chat/protocol';

/** A stored user: an anonymous visitor or a user the host site identified. Only the hash of a token is kept. */
export interface UserRecord {
  _id: Types.ObjectId;
  kind: 'anonymous' | 'identified';
  /** SHA-256 (hex) of the user's bearer token. */
  tokenHash: string;
  /** The host site's id for an identified user. */
  externalId?: string;
  createdAt: Date;
  updatedAt: Date;
}

const userSchema = new Schema<UserRecord>(
  {
    kind: { type: String, enum: ['anonymous', 'identified'], required: true },
    tokenHash: { type: String, required: true },
    externalId: { type: String },
  },
  { collection: 'users', timestamps: true, versionKey: false },
);
userSchema.index({ tokenHash: 1 }, { unique: true, name: 'tokenHash_unique' });
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
