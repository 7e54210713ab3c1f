import { setTimeout as delay } from 'node:timers/promises';
import { AppError } from '../errors/app-error.js';
import type { ChatSessionRecord, MessageRecord } from '../models/index.js';
import type { HeldLock } from './exchange.js';
import type { Reply } from './reply.js';
import { ReplyRecord } from './reply-record.js';
import type { ChatContext, ReplyStarter } from './reply-starter.js';
import { StoredReply } from './stored-reply.js';

const RACED_SEND_POLLS = 5;
const RACED_SEND_POLL_MS = 50;

/** A `clientMessageId` sent again: where to find what it asked for. */
export interface RepeatedSend {
  session: ChatSessionRecord;
  clientMessageId: string;
  model?: string | undefined;
}

/**
 * Answers a `clientMessageId` seen before with the reply that exists: joined while this process writes it, followed
 * or replayed from the database otherwise, written anew when it is the session's last reply and it failed or was
 * stopped (Retry), and completed when the first attempt stored the visitor's message but not its reply. Writing
 * needs the session's lock: without one, those two cases are a `409 conflict`.
 */
export class ExistingReplies {
  constructor(
    private readonly context: ChatContext,
    private readonly starter: ReplyStarter,
  ) {}

  /** The reply to a repeated send, or `undefined` when the message was never stored. */
  async find(owner: HeldLock['owner'], send: RepeatedSend, lock?: HeldLock): Promise<Reply | undefined> {
    const { messages } = this.context.stores;
    const found = await messages.findByClientMessageId(owner, send.session._id, send.clientMessageId);
    if (!found) return undefined;
    // A regenerated reply carries the clientMessageId itself; a sent or edited message carries it on the user message.
    const isReply = found.role === 'assistant' && found.replyTo !== undefined;
    const userMessage = isReply ? await messages.findOwned(owner, send.session._id, found.replyTo!) : found;
    if (!userMessage) return undefined;
    const reply = isReply ? found : await messages.findReplyTo(owner, userMessage);
    if (!reply) return this.complete(owner, userMessage, send, lock);
    const live = this.context.replies.get(reply._id);
    if (live) return live;
    if ((reply.status === 'error' || reply.status === 'stopped') && (await messages.isLatest(owner, reply))) {
      if (!lock) throw busy();
      return this.starter.restartReply(lock, userMessage, reply, send.model);
    }
    return this.replay(owner, userMessage, reply);
  }

  /**
   * The reply to a send that lost the session's lock to the same `clientMessageId` sent at the same moment (a client
   * retrying too early): the winner stores that message within moments, and its reply is the answer to both.
   */
  async findRaced(owner: HeldLock['owner'], send: RepeatedSend): Promise<Reply | undefined> {
    for (let poll = 0; poll < RACED_SEND_POLLS; poll++) {
      // Until the winner has stored its reply too, the lookup may fail: keep looking.
      const existing = await this.find(owner, send).catch(() => undefined);
      if (existing) return existing;
      await delay(RACED_SEND_POLL_MS);
    }
    return undefined;
  }

  private async complete(owner: HeldLock['owner'], userMessage: MessageRecord, send: RepeatedSend, lock: HeldLock | undefined): Promise<Reply> {
    if (!lock || !(await this.context.stores.messages.isLatest(owner, userMessage))) {
      throw new AppError('conflict', 'This message was stored but its reply is missing; send it again with a new clientMessageId');
    }
    return this.starter.completeExchange(lock, userMessage, send.model);
  }

  private replay(owner: HeldLock['owner'], userMessage: MessageRecord, reply: MessageRecord): Reply {
    const record = new ReplyRecord(this.context.stores, reply.sessionId, reply._id, owner);
    const { logger, timing, closing } = this.context;
    return new StoredReply({ logger, pollIntervalMs: timing.flushIntervalMs, closing }, record, userMessage, reply);
  }
}

function busy(): AppError {
  return new AppError('conflict', 'A reply is already being written in this session; wait for it or stop it');
}
