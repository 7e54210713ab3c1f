import { createHash, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Types } from 'mongoose';
import type { AccessTokenRecord, Models, UserRecord } from '../models/index.js';

/** The user a request was made by, as the routes see it. */
export type AuthenticatedUser = Pick<UserRecord, '_id' | 'kind' | 'externalId' | 'createdAt'>;

/** Options of the {@link AccessTokenService}. */
export interface AccessTokenOptions {
  /** How long an identified user's token lasts without use; each use extends it. */
  identifiedExpiryMs: number;
  /**
   * How long a resolved token is served from this process's memory before it is looked up again (0: never cached).
   * Signing out, erasing and merging clear a token from the cache of the process that did it at once; other server
   * processes may still accept it for at most this long.
   */
  cacheTtlMs?: number | undefined;
}

/** How long a resolved token is kept in memory unless configured (`TOKEN_CACHE_TTL_MS`). */
export const DEFAULT_TOKEN_CACHE_TTL_MS = 5_000;

/** The most resolved tokens one process keeps in memory (the least recently used go first). */
const TOKEN_CACHE_SIZE = 50_000;

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
 * revoked token is gone from the collection, so a cache of resolved tokens only has to be short-lived to stay honest:
 * each process keeps what it resolved for `cacheTtlMs` (default 5 s), and forgets a token at once when it revokes it.
 */
export class AccessTokenService {
  private readonly renewalStepMs: number;
  private readonly cache: LRUCache<string, AuthenticatedUser> | undefined;
  /** Counts revocations, so that a lookup that began before one does not cache what it found. */
  private revocations = 0;

  constructor(
    private readonly models: Models,
    private readonly options: AccessTokenOptions,
  ) {
    // Sliding the expiry on every request would be a write per request; an hour's (or a tenth's) precision is plenty.
    this.renewalStepMs = Math.min(3_600_000, options.identifiedExpiryMs / 10);
    const ttl = options.cacheTtlMs ?? DEFAULT_TOKEN_CACHE_TTL_MS;
    // Entries lapse by their age alone (a use does not extend them), so a token revoked elsewhere is seen within `ttl`.
    this.cache = ttl > 0 ? new LRUCache({ max: TOKEN_CACHE_SIZE, ttl, ttlAutopurge: false, updateAgeOnGet: false }) : undefined;
  }

  /** Issues a new token for a user (a new browser or device) and returns it; only its hash is stored. */
  async issue(user: AuthenticatedUser): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const tokenHash = hashToken(token);
    await this.models.AccessToken.create({
      tokenHash,
      userId: user._id,
      kind: user.kind,
      ...(user.externalId ? { externalId: user.externalId } : {}),
      userCreatedAt: user.createdAt,
      ...(user.kind === 'identified' ? { expiresAt: new Date(Date.now() + this.options.identifiedExpiryMs) } : {}),
    });
    if (user.kind === 'identified') await this.dropLeastRecentlyUsed(user._id);
    this.cache?.set(tokenHash, { _id: user._id, kind: user.kind, externalId: user.externalId, createdAt: user.createdAt });
    return token;
  }

  /**
   * The user a token belongs to, or `undefined` for an unknown, expired or revoked token. Slides the expiry. A token
   * resolved in the last `cacheTtlMs` is answered from memory (never past its own expiry); `fresh` asks the database.
   */
  async resolve(token: string, options: { fresh?: boolean } = {}): Promise<AuthenticatedUser | undefined> {
    const tokenHash = hashToken(token);
    if (this.cache && !options.fresh) {
      const cached = this.cache.get(tokenHash);
      if (cached) return cached;
    }
    const revocationsBefore = this.revocations;
    const user = await this.lookUp(tokenHash);
    if (user && this.cache && this.revocations === revocationsBefore) this.cache.set(tokenHash, user.user, user.expiresAt ? { ttl: Math.min(this.cache.ttl, user.expiresAt - Date.now()) } : {});
    return user?.user;
  }

  private async lookUp(tokenHash: string): Promise<{ user: AuthenticatedUser; expiresAt?: number } | undefined> {
    const record = await this.models.AccessToken.findOne({ tokenHash }).lean<AccessTokenRecord>();
    if (!record) {
      const legacy = await this.adoptLegacyToken(tokenHash);
      return legacy && { user: legacy };
    }
    const user = { _id: record.userId, kind: record.kind, externalId: record.externalId, createdAt: record.userCreatedAt };
    if (!record.expiresAt) return { user };
    const now = Date.now();
    if (record.expiresAt.getTime() <= now) return undefined;
    if (now + this.options.identifiedExpiryMs - record.expiresAt.getTime() >= this.renewalStepMs) {
      const expiresAt = now + this.options.identifiedExpiryMs;
      await this.models.AccessToken.updateOne({ _id: record._id, userId: record.userId }, { $set: { expiresAt: new Date(expiresAt) } });
      return { user, expiresAt };
    }
    return { user, expiresAt: record.expiresAt.getTime() };
  }

  /** Revokes one token (sign-out); the user's other tokens keep working. */
  async revoke(token: string): Promise<void> {
    const tokenHash = hashToken(token);
    this.revocations += 1;
    this.cache?.delete(tokenHash);
    await this.models.AccessToken.deleteOne({ tokenHash });
  }

  /** Revokes every token of a user (erase, or a visitor merged into an identified user). */
  async revokeAll(userId: Types.ObjectId): Promise<void> {
    this.revocations += 1;
    this.forgetUser(userId);
    await this.models.AccessToken.deleteMany({ userId });
  }

  /** Drops every cached token of a user from this process's memory. */
  private forgetUser(userId: Types.ObjectId): void {
    if (!this.cache) return;
    for (const [tokenHash, user] of this.cache.entries()) if (user._id.equals(userId)) this.cache.delete(tokenHash);
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
      .select({ _id: 1, tokenHash: 1 })
      .lean<Array<Pick<AccessTokenRecord, '_id' | 'tokenHash'>>>();
    if (surplus.length === 0) return;
    this.revocations += 1;
    for (const token of surplus) this.cache?.delete(token.tokenHash);
    await this.models.AccessToken.deleteMany({ userId, _id: { $in: surplus.map((token) => token._id) } });
  }
}
