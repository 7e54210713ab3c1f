import { createHash, createHmac, randomBytes } from 'node:crypto';
import { errors as joseErrors, jwtVerify } from 'jose';
import type { Types } from 'mongoose';
import type { ExportResponse, User, UserWithToken } from '@ai-chat/protocol';
import { AppError } from '../errors/app-error.js';
import { toMessage, toSessionSummary, toUser, type Models, type UserRecord } from '../models/index.js';

/** The user a request was made by, as the routes see it. */
export type AuthenticatedUser = Pick<UserRecord, '_id' | 'kind' | 'externalId' | 'createdAt'>;

/** How far a host's clock may be off when its identity token's `exp` and `nbf` are checked. */
const CLOCK_TOLERANCE_SECONDS = 30;

/** SHA-256 (hex) of a bearer token: the only form in which tokens are stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Visitors and identified users: creating anonymous visitors, resolving bearer tokens, identifying a host site's
 * logged-in users (moving an anonymous visitor's sessions to them), and erasing or exporting a user's data.
 */
export class IdentityService {
  private readonly identityKey: Uint8Array | undefined;

  constructor(
    private readonly models: Models,
    identitySecret: string | undefined,
  ) {
    this.identityKey = identitySecret ? new TextEncoder().encode(identitySecret) : undefined;
  }

  /** Creates an anonymous visitor with a fresh 256-bit bearer token, of which only the hash is stored. */
  async createAnonymousUser(): Promise<UserWithToken> {
    const token = randomBytes(32).toString('base64url');
    const record = await this.models.User.create({ kind: 'anonymous', tokenHash: hashToken(token) });
    return { user: toUser(record), token };
  }

  /** The user a bearer token belongs to, or `undefined` for an unknown token. */
  async findByToken(token: string): Promise<AuthenticatedUser | undefined> {
    const record = await this.models.User.findOne({ tokenHash: hashToken(token) })
      .select({ kind: 1, externalId: 1, createdAt: 1 })
      .lean<AuthenticatedUser>();
    return record ?? undefined;
  }

  /**
   * Verifies a host-signed identity token (HS256, `sub` and `exp` required) and returns the identified user with its
   * token, creating the user on first sight. When an anonymous visitor made the call, its sessions move to the user.
   */
  async identify(userToken: string, visitor: AuthenticatedUser | undefined): Promise<UserWithToken> {
    const externalId = await this.verifyIdentityToken(userToken);
    const token = this.identifiedUserToken(externalId);
    const record = await this.models.User.findOneAndUpdate(
      { externalId },
      // The token hash is set on every call so that a rotated IDENTITY_SECRET issues working tokens again.
      { $set: { tokenHash: hashToken(token) }, $setOnInsert: { kind: 'identified', externalId } },
      { upsert: true, returnDocument: 'after' },
    ).catch(async (error: unknown) => {
      // Two first identifications raced on the unique index: the other one created the user.
      if ((error as { code?: number }).code === 11000) return this.models.User.findOne({ externalId });
      throw error;
    });
    if (!record) throw new AppError('internal', 'Could not identify the user');
    if (visitor && visitor.kind === 'anonymous' && !visitor._id.equals(record._id)) {
      await this.moveData(visitor._id, record._id);
      await this.models.User.deleteOne({ _id: visitor._id, kind: 'anonymous' });
    }
    return { user: toUser(record), token };
  }

  /** Erases a user with every session and message it owns. */
  async erase(userId: Types.ObjectId): Promise<void> {
    await this.models.Message.deleteMany({ userId });
    await this.models.ChatSession.deleteMany({ userId });
    await this.models.User.deleteOne({ _id: userId });
  }

  /** Every session of a user with all its messages, oldest message first. */
  async export(user: AuthenticatedUser): Promise<ExportResponse> {
    const sessions = await this.models.ChatSession.find({ userId: user._id }).sort({ updatedAt: -1, _id: -1 }).lean();
    const messages = await this.models.Message.find({ userId: user._id }).sort({ createdAt: 1, _id: 1 }).lean();
    const bySession = new Map<string, typeof messages>();
    for (const message of messages) {
      const key = message.sessionId.toHexString();
      bySession.set(key, [...(bySession.get(key) ?? []), message]);
    }
    return {
      user: toUser(user),
      sessions: sessions.map((session) => ({
        ...toSessionSummary(session),
        messages: (bySession.get(session._id.toHexString()) ?? []).map(toMessage),
      })),
      exportedAt: new Date().toISOString(),
    };
  }

  /** A user in the contract's shape. */
  describe(user: AuthenticatedUser): User {
    return toUser(user);
  }

  private async verifyIdentityToken(userToken: string): Promise<string> {
    if (!this.identityKey) {
      throw new AppError('invalid_request', 'Identified users are not enabled on this server (IDENTITY_SECRET is not set)');
    }
    try {
      const { payload } = await jwtVerify(userToken, this.identityKey, {
        algorithms: ['HS256'],
        requiredClaims: ['sub', 'exp'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      if (!payload.sub || payload.sub.length > 256) throw new AppError('unauthorized', 'The identity token has no valid subject');
      return payload.sub;
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('unauthorized', describeJoseError(error));
    }
  }

  /**
   * An identified user's bearer token is derived from the server's secret, so every browser the user signs in from
   * gets the same token while the database still stores only its hash.
   */
  private identifiedUserToken(externalId: string): string {
    return createHmac('sha256', this.identityKey!).update(`ai-chat identified user\u0000${externalId}`).digest('base64url');
  }

  private async moveData(from: Types.ObjectId, to: Types.ObjectId): Promise<void> {
    // The anonymous user is deleted only after both writes: if the process stops in between, the visitor's token
    // still works and a repeated identify call finishes the move.
    await this.models.Message.updateMany({ userId: from }, { $set: { userId: to } });
    await this.models.ChatSession.updateMany({ userId: from }, { $set: { userId: to } });
  }
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The identity token has expired';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'The identity token signature is invalid';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `The identity token is invalid: ${error.message}`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'The identity token must be signed with HS256';
  return 'The identity token is malformed';
}
