import { Types } from 'mongoose';
import type { FeedbackRequest, ListMessagesResponse, Message } from '@ai-chat/protocol';
import { createStores, type Stores } from '../data/stores.js';
import { notFound } from '../errors/app-error.js';
import { toMessage, type Models } from '../models/index.js';
import type { Metrics } from '../observability/metrics.js';
import { toMessagesWithVersions } from './message-versions.js';

/**
 * A session's message history, read page by page from the newest back in time, each page oldest first: the branch
 * the session shows, each message with its place among its versions. Also the visitor's ratings of replies.
 */
export class MessageService {
  private readonly stores: Stores;

  constructor(
    models: Models,
    private readonly metrics?: Pick<Metrics, 'feedback'>,
  ) {
    this.stores = createStores(models);
  }

  /** One page of a session's messages: the newest `limit` before `before` (or the newest of all), oldest first. */
  async list(
    userId: Types.ObjectId,
    sessionId: Types.ObjectId,
    query: { limit: number; before?: string | undefined },
  ): Promise<ListMessagesResponse> {
    const before = query.before ? await this.stores.messages.findOwned(userId, sessionId, new Types.ObjectId(query.before)) : undefined;
    if (before === null) throw notFound('Message');
    const records = await this.stores.messages.page(userId, sessionId, query.limit + 1, before);
    const hasMore = records.length > query.limit;
    const messages = await toMessagesWithVersions(this.stores.messages, userId, sessionId, records.slice(0, query.limit).reverse());
    return { messages, hasMore };
  }

  /**
   * Rates one of the user's replies (or, with `rating: null`, takes the rating back); a message of someone else, or
   * not a reply, is `not_found`. A changed rating is counted in `/metrics` by model and rating.
   */
  async rate(userId: Types.ObjectId, messageId: string, request: FeedbackRequest): Promise<Message> {
    const feedback = request.rating ? { rating: request.rating, ...(request.reason ? { reason: request.reason } : {}), updatedAt: new Date() } : null;
    const before = await this.stores.messages.setFeedback(userId, new Types.ObjectId(messageId), feedback);
    if (!before) throw notFound('Message');
    const rating = feedback?.rating ?? 'cleared';
    if ((before.feedback?.rating ?? 'cleared') !== rating) this.metrics?.feedback.inc({ model: before.model ?? 'unknown', rating });
    const [message] = await toMessagesWithVersions(this.stores.messages, userId, before.sessionId, [{ ...before, feedback: feedback ?? undefined }]);
    return message!;
  }
}
