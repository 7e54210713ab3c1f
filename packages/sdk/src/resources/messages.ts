import { pathId, requestWithToken } from '../internal/client-context.js';
import type { FeedbackRequest, ListMessagesResponse, Message, MessageResponse, ShowMessageResponse } from '@ai-chat/protocol';
import type { RequestOptions } from '../request-options.js';
import { ApiResource } from './api-resource.js';

/** Paging of `messages.list()`: `limit` 1..100 (default 50), `before` a message id to page back in time from. */
export interface MessageListParams {
  limit?: number;
  before?: string;
}

/** The messages of a session (`GET /api/sessions/:id/messages`), their versions, and ratings of replies. */
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

  /**
   * Shows another version of a message (a regenerated reply, an edited user message) in place of the one shown,
   * with the branch that followed it; returns the messages from it to the end of the conversation, oldest first.
   * The session's message count and preview follow. Safe to retry: showing twice is showing once.
   * @example
   * const [reply] = page.messages.slice(-1);
   * if (reply?.versions && reply.versions.index > 1) {
   *   const tail = await client.messages.show(reply.versions.ids[reply.versions.index - 2]!);
   * }
   */
  async show(id: string, options?: RequestOptions): Promise<Message[]> {
    const request = { method: 'POST', path: `/api/messages/${pathId(id)}/show`, isRetrySafe: true } as const;
    return (await requestWithToken<ShowMessageResponse>(this.context, request, options)).messages;
  }

  /**
   * Rates a reply up or down, with an optional short reason (≤ 500 characters); `rating: null` takes the rating
   * back. Returns the message as stored, with its `feedback`. Safe to retry: the same rating twice is one rating.
   * @example
   * await client.messages.feedback(reply.id, { rating: 'down', reason: 'Outdated answer' });
   */
  async feedback(id: string, body: FeedbackRequest, options?: RequestOptions): Promise<Message> {
    const request = { method: 'PUT', path: `/api/messages/${pathId(id)}/feedback`, body, isRetrySafe: true } as const;
    return (await requestWithToken<MessageResponse>(this.context, request, options)).message;
  }
}
