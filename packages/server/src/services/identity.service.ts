import { errors as joseErrors, jwtVerify } from 'jose';
import type { Types } from 'mongoose';
import { z } from 'zod';
import type { ExportedMessage, ExportResponse, User, UserWithToken } from '@ai-chat/protocol';
import { AppError } from '../errors/app-error.js';
import { toMessage, toSessionSummary, toUser, type MessageRecord, type Models, type UserRecord } from '../models/index.js';
import { ConversationTree } from './conversation-tree.js';
import { versionsOf } from './message-versions.js';
import type { AccessTokenService, AuthenticatedUser } from './access-token.service.js';
import type { ErasureService } from './erasure.service.js';

export { hashToken, type AuthenticatedUser } from './access-token.service.js';

/** How far a host's clock may be off when its identity token's `exp` and `nbf` are checked. */
const CLOCK_TOLERANCE_SECONDS = 30;

/** The claims of a host's identity token that we use: `sub` is the host's user id, a string and nothing else. */
const IdentityClaimsSchema = z.object({ sub: z.string().min(1).max(256) });

/**
 * Visitors and identified users: creating anonymous visitors, resolving bearer tokens, identifying a host site's
 * logged-in users (moving an anonymous visitor's sessions to them), signing out, and erasing or exporting a user's
 * data.
 */
export class IdentityService {
  private readonly identityKey: Uint8Array | undefined;

  constructor(
    private readonly models: Models,
    private readonly tokens: AccessTokenService,
    private readonly erasure: ErasureService,
    identitySecret: string | undefined,
  ) {
    this.identityKey = identitySecret ? new TextEncoder().encode(identitySecret) : undefined;
  }

  /** Creates an anonymous visitor with a fresh 256-bit bearer token, of which only the hash is stored. */
  async createAnonymousUser(): Promise<UserWithToken> {
    const record = await this.models.User.create({ kind: 'anonymous' });
    return { user: toUser(record), token: await this.tokens.issue(record) };
  }

  /**
   * The user a bearer token belongs to, or `undefined` for an unknown, expired or revoked token; from memory when it
   * was resolved in the last few seconds, unless `fresh` (see `AccessTokenOptions.cacheTtlMs`).
   */
  findByToken(token: string, options: { fresh?: boolean } = {}): Promise<AuthenticatedUser | undefined> {
    return this.tokens.resolve(token, options);
  }

  /**
   * Verifies a host-signed identity token (HS256, `sub` and `exp` required) and returns the identified user with a
   * new token for this browser, creating the user on first sight. When an anonymous visitor made the call, its
   * sessions move to the user and its token is revoked.
   */
  async identify(userToken: string, visitor: AuthenticatedUser | undefined): Promise<UserWithToken> {
    const externalId = await this.verifyIdentityToken(userToken);
    const record = await this.models.User.findOneAndUpdate(
      { externalId },
      { $setOnInsert: { kind: 'identified', externalId } },
      { upsert: true, returnDocument: 'after' },
    )
      .lean<UserRecord>()
      .catch(async (error: unknown) => {
        // Two first identifications raced on the unique index: the other one created the user.
        if ((error as { code?: number }).code === 11000) return this.models.User.findOne({ externalId }).lean<UserRecord>();
        throw error;
      });
    if (!record) throw new AppError('internal', 'Could not identify the user');
    if (visitor && visitor.kind === 'anonymous' && !visitor._id.equals(record._id)) {
      await this.moveData(visitor._id, record._id);
      await this.tokens.revokeAll(visitor._id);
      await this.models.User.deleteOne({ _id: visitor._id, kind: 'anonymous' });
    }
    return { user: toUser(record), token: await this.tokens.issue(record) };
  }

  /** Revokes the token a request was made with; the user's other browsers stay signed in. */
  signOut(token: string): Promise<void> {
    return this.tokens.revoke(token);
  }

  /**
   * Erases a user with every token, session and message it has, stopping the replies being written for it: once
   * this returns, nothing of the user is stored or written later.
   */
  erase(userId: Types.ObjectId): Promise<void> {
    return this.erasure.eraseUser(userId);
  }

  /** Every session of a user with all its messages (every version, with ratings), oldest message first. */
  async export(user: AuthenticatedUser): Promise<ExportResponse> {
    const sessions = await this.models.ChatSession.find({ userId: user._id }).sort({ updatedAt: -1, _id: -1 }).lean();
    const messages = await this.models.Message.find({ userId: user._id }).sort({ createdAt: 1, _id: 1 }).lean<MessageRecord[]>();
    const bySession = new Map<string, typeof messages>();
    for (const message of messages) {
      const key = message.sessionId.toHexString();
      bySession.set(key, [...(bySession.get(key) ?? []), message]);
    }
    return {
      user: toUser(user),
      sessions: sessions.map((session) => ({
        ...toSessionSummary(session),
        messages: toExportedMessages(bySession.get(session._id.toHexString()) ?? []),
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
      const claims = IdentityClaimsSchema.safeParse(payload);
      if (!claims.success) throw new AppError('unauthorized', 'The identity token has no valid subject (sub: a string of 1 to 256 characters)');
      return claims.data.sub;
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('unauthorized', describeJoseError(error));
    }
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

/** A session's messages as exported: every version, each with whether it is shown and the message it follows. */
function toExportedMessages(records: MessageRecord[]): ExportedMessage[] {
  const tree = new ConversationTree(records);
  return records.map((record) => ({
    ...toMessage(record, versionsOf(record, records)),
    shown: !record.hidden,
    parentId: tree.parentOf(record)?.toHexString() ?? null,
  }));
}
