import { Types } from 'mongoose';
import type { ListMessagesResponse } from '@ai-chat/protocol';
import { createStores, type Stores } from '../data/stores.js';
import { notFound } from '../errors/app-error.js';
import { toMessage, type Models } from '../models/index.js';

/** A session's message history, read page by page from the newest back in time, each page oldest first. */
export class MessageService {
  private readonly stores: Stores;

  constructor(models: Models) {
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
    return { messages: records.slice(0, query.limit).reverse().map(toMessage), hasMore };
  }
}
