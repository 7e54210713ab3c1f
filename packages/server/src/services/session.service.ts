import { Types } from 'mongoose';
import type {
  CreateSessionRequest,
  ListSessionsResponse,
  SessionSummary,
  UpdateSessionRequest,
} from '@ai-chat/protocol';
import { AppError, notFound } from '../errors/app-error.js';
import type { SessionCursor } from '../data/session.store.js';
import { createStores, type Stores } from '../data/stores.js';
import { toSessionSummary, type ChatSessionRecord, type Models } from '../models/index.js';
import type { ErasureService } from './erasure.service.js';
import { SessionSearch } from './session-search.js';

/** The title of a session before its first message names it. */
export const DEFAULT_SESSION_TITLE = 'New chat';

/** Checks that a model id is one the deployment offers. */
export type ModelCheck = (modelId: string) => boolean;

/**
 * A user's chat sessions: create, list (most recently active first, keyset-paginated), retrieve, update, delete.
 * Every query carries the owner, so another user's session is indistinguishable from a missing one.
 */
export class SessionService {
  private readonly stores: Stores;
  private readonly searcher: SessionSearch;

  constructor(
    models: Models,
    private readonly isKnownModel: ModelCheck,
    private readonly defaultModel: () => string,
    private readonly erasure: ErasureService,
  ) {
    this.stores = createStores(models);
    this.searcher = new SessionSearch(this.stores);
  }

  /** Creates a session with the given or the default model. */
  async create(userId: Types.ObjectId, request: CreateSessionRequest): Promise<SessionSummary> {
    const model = request.model ?? this.defaultModel();
    this.assertModel(model);
    const record = await this.stores.sessions.create(userId, {
      model,
      title: request.title ?? DEFAULT_SESSION_TITLE,
      titleSource: request.title ? 'user' : 'default',
    });
    // A user erased while the session was being stored must not keep it: the erase may have deleted its sessions
    // just before this one arrived.
    if (await this.stores.users.isErasing(userId)) {
      await this.stores.sessions.delete(userId, record._id);
      throw new AppError('unauthorized', 'The bearer token is not valid (unknown, expired, signed out or erased user)');
    }
    return toSessionSummary(record);
  }

  /**
   * One page of a user's sessions, most recently active first; pages never skip or repeat a session. With `q`, the
   * sessions whose title or shown messages hold its words instead, best first, each with where its message matched.
   */
  async list(userId: Types.ObjectId, query: { limit: number; cursor?: string | undefined; q?: string | undefined }): Promise<ListSessionsResponse> {
    if (query.q !== undefined) return this.searcher.search(userId, query.q, query.limit, query.cursor);
    const records = await this.stores.sessions.page(userId, query.limit + 1, query.cursor ? decodeCursor(query.cursor) : undefined);
    const page = records.slice(0, query.limit);
    const last = page.at(-1);
    return {
      sessions: page.map(toSessionSummary),
      nextCursor: records.length > query.limit && last ? encodeCursor({ updatedAt: last.updatedAt, id: last._id }) : null,
    };
  }

  /** A session of the user, or `not_found`. */
  async retrieve(userId: Types.ObjectId, sessionId: string): Promise<SessionSummary> {
    return toSessionSummary(await this.findOwned(userId, sessionId));
  }

  /** Renames a session or changes its model. */
  async update(userId: Types.ObjectId, sessionId: string, request: UpdateSessionRequest): Promise<SessionSummary> {
    if (request.model !== undefined) this.assertModel(request.model);
    const changes: Partial<ChatSessionRecord> = {};
    if (request.title !== undefined) Object.assign(changes, { title: request.title, titleSource: 'user' });
    if (request.model !== undefined) changes.model = request.model;
    const record = await this.stores.sessions.update(userId, new Types.ObjectId(sessionId), changes);
    if (!record) throw notFound('Session');
    return toSessionSummary(record);
  }

  /**
   * Deletes a session and its messages, stopping the reply being written in it: once this returns, nothing of the
   * session is stored or written later.
   */
  async delete(userId: Types.ObjectId, sessionId: string): Promise<void> {
    if (!(await this.erasure.eraseSession(userId, new Types.ObjectId(sessionId)))) throw notFound('Session');
  }

  /** The stored session of a user, or `not_found`. */
  async findOwned(userId: Types.ObjectId, sessionId: string): Promise<ChatSessionRecord> {
    const record = await this.stores.sessions.findOwned(userId, new Types.ObjectId(sessionId));
    if (!record) throw notFound('Session');
    return record;
  }

  private assertModel(model: string): void {
    if (!this.isKnownModel(model)) {
      throw new AppError('invalid_request', `model: unknown model "${model}"`, {
        details: [{ path: 'model', message: `unknown model "${model}"; GET /api/models lists the models` }],
      });
    }
  }
}

function encodeCursor(cursor: SessionCursor): string {
  return Buffer.from(`${cursor.updatedAt.getTime()}.${cursor.id.toHexString()}`).toString('base64url');
}

function decodeCursor(value: string): SessionCursor {
  const match = /^(\d{1,15})\.([0-9a-f]{24})$/.exec(Buffer.from(value, 'base64url').toString('utf8'));
  if (!match) {
    throw new AppError('invalid_request', 'cursor: is not a cursor this server issued', {
      details: [{ path: 'cursor', message: 'is not a cursor this server issued' }],
    });
  }
  return { updatedAt: new Date(Number(match[1])), id: new Types.ObjectId(match[2]) };
}
