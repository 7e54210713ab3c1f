import { Types } from 'mongoose';
import type { ListMessagesResponse } from '@ai-chat/protocol';
import { notFound } from '../errors/app-error.js';
import { toMessage, type MessageRecord, type Models } from '../models/index.js';

/** A session's message history, read page by page from the newest back in time, each page oldest first. */
export class MessageService {
  constructor(private readonly models: Models) {}

  /** One page of a session's messages: the newest `limit` before `before` (or the newest of all), oldest first. */
  async list(
    userId: Types.ObjectId,
    sessionId: Types.ObjectId,
    query: { limit: number; before?: string | undefined },
  ): Promise<ListMessagesResponse> {
    const filter: Record<string, unknown> = { sessionId, userId };
    if (query.before) {
      const before = await this.models.Message.findOne({ _id: new Types.ObjectId(query.before), sessionId, userId })
        .select({ createdAt: 1 })
        .lean<Pick<MessageRecord, '_id' | 'createdAt'>>();
      if (!before) throw notFound('Message');
      filter.$or = [
        { createdAt: { $lt: before.createdAt } },
        { createdAt: before.createdAt, _id: { $lt: before._id } },
      ];
    }
    const records = await this.models.Message.find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .limit(query.limit + 1)
      .lean<MessageRecord[]>();
    const hasMore = records.length > query.limit;
    return { messages: records.slice(0, query.limit).reverse().map(toMessage), hasMore };
  }
}
