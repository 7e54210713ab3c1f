import { pathId, requestEmptyWithToken, requestWithToken } from '../internal/client-context.js';
import type {
  CreateSessionRequest,
  ListSessionsResponse,
  Session,
  SessionResponse,
  SessionListItem,
  UpdateSessionRequest,
} from '@ai-chat/protocol';
import type { RequestOptions } from '../request-options.js';
import { ApiResource } from './api-resource.js';

/**
 * Paging of `sessions.list()`: `limit` 1..50 (default 20), `cursor` the `nextCursor` of the previous page, and `q`
 * to search the sessions by title and message text instead (best matches first, each with a `match` snippet).
 */
export interface SessionListParams {
  limit?: number;
  cursor?: string;
  q?: string;
}

/** The visitor's conversations (`/api/sessions`). */
export class Sessions extends ApiResource {
  /**
   * Starts a conversation, with the deployment's default model unless one is given. Never retried: a retry after a
   * lost answer could create a second session.
   * @example
   * const session = await client.sessions.create({ model: 'demo' });
   */
  async create(body: CreateSessionRequest = {}, options?: RequestOptions): Promise<Session> {
    const request = { method: 'POST', path: '/api/sessions', body, isRetrySafe: false } as const;
    return (await requestWithToken<SessionResponse>(this.context, request, options)).session;
  }

  /**
   * One page of sessions, most recently active first.
   * @example
   * const { sessions, nextCursor } = await client.sessions.list({ limit: 20 });
   * @example
   * const { sessions: found } = await client.sessions.list({ q: 'lisbon hotel' });
   * for (const session of found) console.log(session.title, session.match?.snippet);
   */
  list(query: SessionListParams = {}, options?: RequestOptions): Promise<ListSessionsResponse> {
    const request = { method: 'GET', path: '/api/sessions', query: { ...query }, isRetrySafe: true } as const;
    return requestWithToken(this.context, request, options);
  }

  /**
   * Every session, fetching page after page as the loop asks for more.
   * @example
   * for await (const session of client.sessions.listAll()) console.log(session.title);
   */
  async *listAll(query: Omit<SessionListParams, 'cursor'> = {}, options?: RequestOptions): AsyncGenerator<SessionListItem> {
    let cursor: string | null | undefined;
    do {
      const page = await this.list({ ...query, ...(cursor && { cursor }) }, options);
      yield* page.sessions;
      cursor = page.nextCursor;
    } while (cursor);
  }

  /**
   * One session by id; `NotFoundError` when it does not exist or is not the visitor's.
   * @example
   * const session = await client.sessions.retrieve(sessionId);
   */
  async retrieve(id: string, options?: RequestOptions): Promise<Session> {
    const request = { method: 'GET', path: `/api/sessions/${pathId(id)}`, isRetrySafe: true } as const;
    return (await requestWithToken<SessionResponse>(this.context, request, options)).session;
  }

  /**
   * Renames a session or switches its model. Never retried, like every PATCH.
   * @example
   * const session = await client.sessions.update(sessionId, { title: 'Trip to Lisbon' });
   */
  async update(id: string, body: UpdateSessionRequest, options?: RequestOptions): Promise<Session> {
    const request = { method: 'PATCH', path: `/api/sessions/${pathId(id)}`, body, isRetrySafe: false } as const;
    return (await requestWithToken<SessionResponse>(this.context, request, options)).session;
  }

  /**
   * Deletes a session and its messages.
   * @example
   * await client.sessions.delete(sessionId);
   */
  async delete(id: string, options?: RequestOptions): Promise<void> {
    const request = { method: 'DELETE', path: `/api/sessions/${pathId(id)}`, isRetrySafe: true } as const;
    await requestEmptyWithToken(this.context, request, options);
  }

  /**
   * Stops the reply being written in a session, from whichever server process writes it; the message ends as
   * `stopped` with the text so far. Safe to retry: stopping twice is stopping once.
   * @example
   * await client.sessions.stop(sessionId);
   */
  async stop(id: string, options?: RequestOptions): Promise<void> {
    const request = { method: 'POST', path: `/api/sessions/${pathId(id)}/stop`, isRetrySafe: true } as const;
    await requestEmptyWithToken(this.context, request, options);
  }
}
