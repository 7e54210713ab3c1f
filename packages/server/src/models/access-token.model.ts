import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * A bearer token a user holds (one per browser or device), stored only as its hash. It carries the few user fields
 * a request needs (they never change), so resolving a token is one indexed query.
 */
export interface AccessTokenRecord {
  _id: Types.ObjectId;
  /** SHA-256 (hex) of the token. */
  tokenHash: string;
  userId: Types.ObjectId;
  kind: 'anonymous' | 'identified';
  externalId?: string;
  /** When the user (not the token) was created. */
  userCreatedAt: Date;
  /** An identified user's token lapses at this time unless used (each use moves it on); a visitor's never does. */
  expiresAt?: Date;
  createdAt: Date;
}

const accessTokenSchema = new Schema<AccessTokenRecord>(
  {
    tokenHash: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, enum: ['anonymous', 'identified'], required: true },
    externalId: { type: String },
    userCreatedAt: { type: Date, required: true },
    expiresAt: { type: Date },
  },
  { collection: 'access_tokens', timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
accessTokenSchema.index({ tokenHash: 1 }, { unique: true, name: 'tokenHash_unique' });
// Revoking every token of a user, and finding the least recently used ones beyond the per-user cap.
accessTokenSchema.index({ userId: 1, expiresAt: -1 }, { name: 'owner_expiry' });
// Expired tokens are refused by the lookup anyway; the TTL index only clears them away.
accessTokenSchema.index({ expiresAt: 1 }, { name: 'expiry_ttl', expireAfterSeconds: 0 });

/** The mongoose model of `access_tokens`. */
export type AccessTokenModel = Model<AccessTokenRecord>;

/** Registers (once) and returns the access tokens model on a connection. */
export function accessTokenModel(connection: Connection): AccessTokenModel {
  return (connection.models.AccessToken as AccessTokenModel | undefined) ?? connection.model<AccessTokenRecord>('AccessToken', accessTokenSchema);
}
