import { pathId, requestWithToken } from '../internal/client-context.js';
import type { ListMessagesResponse } from '@ai-chat/protocol';
import type { RequestOptions } from '../request-options.js';
import { ApiResource } from './api-resource.js';

/** Paging of `messages.list()`: `limit` 1..100 (default 50), `before` a message id to page back in time from. */
export interface MessageListParams {
  limit?: number;
  before?: string;
}

/** The messages of a session (`GET /api/sessions/:id/messages`). */
export class Messages extends ApiResource {
  /**
   * One page of a session's messages, oldest first; pass the first message's id as `before` for the page before.
   * @example
   * const page = await client.messages.list(sessionId, { limit: 50 });
   * if (page.hasMore) await client.messages.list(sessionId, { before: page.messages[0]!.id });
   */
  list(sessionId: string, query: MessageListParams = {}, options?: RequestOptions): Promise<ListMessagesResponse> {
    return requestWithToken(
      this.context,
      { method: 'GET', path: `/api/sessions/${pathId(sessionId)}/messages`, query: { ...query }, isRetrySafe: true },
      options,
    );
  }
}
