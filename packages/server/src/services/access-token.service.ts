import { createHash, randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import type { AccessTokenRecord, Models, UserRecord } from '../models/index.js';

/** The user a request was made by, as the routes see it. */
export type AuthenticatedUser = Pick<UserRecord, '_id' | 'kind' | 'externalId' | 'createdAt'>;

/** Options of the {@link AccessTokenService}. */
export interface AccessTokenOptions {
  /** How long an identified user's token lasts without use; each use extends it. */
  identifiedExpiryMs: number;
}

/** The default expiry of an identified user's token: 30 days without use. */
export const DEFAULT_IDENTIFIED_TOKEN_EXPIRY_MS = 30 * 24 * 3_600_000;

/** The most live tokens an identified user keeps (one per browser); issuing more drops the least recently used. */
export const MAX_TOKENS_PER_USER = 100;

/** SHA-256 (hex) of a bearer token: the only form in which tokens are stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Bearer tokens: 256 random bits each, stored only as hashes in `access_tokens`, one per browser or device. A
 * visitor's token lasts as long as the visitor; an identified user's lapses after `identifiedExpiryMs` without use.
 * Resolving a token is one indexed query (plus a write at most once per renewal step to slide the expiry), and a
 * revoked token is gone from the collection, so a cache of resolved tokens only has to be short-lived to stay honest.
 */
export class AccessTokenService {
  private readonly renewalStepMs: number;

  constructor(
    private readonly models: Models,
    private readonly options: AccessTokenOptions,
  ) {
    // Sliding the expiry on every request would be a write per request; an hour's (or a tenth's) precision is plenty.
    this.renewalStepMs = Math.min(3_600_000, options.identifiedExpiryMs / 10);
  }

  /** Issues a new token for a user (a new browser or device) and returns it; only its hash is stored. */
  async issue(user: AuthenticatedUser): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.models.AccessToken.create({
      tokenHash: hashToken(token),
      userId: user._id,
      kind: user.kind,
      ...(user.externalId ? { externalId: user.externalId } : {}),
      userCreatedAt: user.createdAt,
      ...(user.kind === 'identified' ? { expiresAt: new Date(Date.now() + this.options.identifiedExpiryMs) } : {}),
    });
    if (user.kind === 'identified') await this.dropLeastRecentlyUsed(user._id);
    return token;
  }

  /** The user a token belongs to, or `undefined` for an unknown, expired or revoked token. Slides the expiry. */
  async resolve(token: string): Promise<AuthenticatedUser | undefined> {
    const tokenHash = hashToken(token);
    const record = await this.models.AccessToken.findOne({ tokenHash }).lean<AccessTokenRecord>();
    if (!record) return this.adoptLegacyToken(tokenHash);
    if (record.expiresAt) {
      const now = Date.now();
      if (record.expiresAt.getTime() <= now) return undefined;
      if (now + this.options.identifiedExpiryMs - record.expiresAt.getTime() >= this.renewalStepMs) {
        await this.models.AccessToken.updateOne(
          { _id: record._id, userId: record.userId },
          { $set: { expiresAt: new Date(now + this.options.identifiedExpiryMs) } },
        );
      }
    }
    return { _id: record.userId, kind: record.kind, externalId: record.externalId, createdAt: record.userCreatedAt };
  }

  /** Revokes one token (sign-out); the user's other tokens keep working. */
  async revoke(token: string): Promise<void> {
    await this.models.AccessToken.deleteOne({ tokenHash: hashToken(token) });
  }

  /** Revokes every token of a user (erase, or a visitor merged into an identified user). */
  async revokeAll(userId: Types.ObjectId): Promise<void> {
    await this.models.AccessToken.deleteMany({ userId });
  }

  /** A visitor token of 0.1.0, kept on the user itself, moves to `access_tokens` on first use. */
  private async adoptLegacyToken(tokenHash: string): Promise<AuthenticatedUser | undefined> {
    const user = await this.models.User.findOne({ tokenHash, kind: 'anonymous' })
      .select({ kind: 1, externalId: 1, createdAt: 1 })
      .lean<AuthenticatedUser>();
    if (!user) return undefined;
    await this.models.AccessToken.updateOne(
      { tokenHash },
      { $setOnInsert: { tokenHash, userId: user._id, kind: 'anonymous', userCreatedAt: user.createdAt } },
      { upsert: true },
    ).catch((error: { code?: number }) => {
      // A concurrent request of the same visitor adopted it first.
      if (error.code !== 11000) throw error;
    });
    await this.models.User.updateOne({ _id: user._id, tokenHash }, { $unset: { tokenHash: 1 } });
    return user;
  }

  private async dropLeastRecentlyUsed(userId: Types.ObjectId): Promise<void> {
    const surplus = await this.models.AccessToken.find({ userId })
      .sort({ expiresAt: -1, _id: -1 })
      .skip(MAX_TOKENS_PER_USER)
      .select({ _id: 1 })
      .lean<Array<Pick<AccessTokenRecord, '_id'>>>();
    if (surplus.length > 0) await this.models.AccessToken.deleteMany({ userId, _id: { $in: surplus.map((token) => token._id) } });
  }
}
