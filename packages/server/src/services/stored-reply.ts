import { setTimeout as delay } from 'node:timers/promises';
import type { ChatEvent, Usage } from '@ai-chat/protocol';
import type { Logger } from 'pino';
import { AppError } from '../errors/app-error.js';
import { toMessage, type MessageRecord } from '../models/index.js';
import { failureOf, type Reply, type ReplyResult } from './reply.js';
import { ReplyEvents } from './reply-events.js';
import type { ReplyRecord } from './reply-record.js';

/** What a stored reply needs: how often to look at the database, where to log, and when the server shuts down. */
export interface StoredReplyContext {
  logger: Logger;
  pollIntervalMs: number;
  /** Aborted on shutdown: following ends (the reply goes on in its own process). */
  closing: AbortSignal;
}

/**
 * A reply that this process does not write, answered from the database for a retried `clientMessageId`: a finished
 * one at once (its text as one `text-delta`, then `message-end`); one that another process still writes by following
 * the stored text until it ends. A reply whose writer died (its lock lapsed) ends as `interrupted`.
 */
export class StoredReply implements Reply {
  readonly id: string;
  readonly result: Promise<ReplyResult>;
  readonly #events: ReplyEvents;
  #current: MessageRecord;

  constructor(
    private readonly context: StoredReplyContext,
    private readonly record: ReplyRecord,
    private readonly userMessage: MessageRecord,
    reply: MessageRecord,
  ) {
    this.id = reply._id.toHexString();
    this.#current = reply;
    this.#events = new ReplyEvents({
      type: 'message-start',
      userMessage: toMessage(userMessage),
      assistantMessage: toMessage({ ...reply, content: '', status: 'streaming' }),
    });
    if (reply.content) this.#events.push({ type: 'text-delta', messageId: this.id, delta: reply.content });
    this.result = reply.status === 'streaming' ? this.#follow() : Promise.resolve(this.#end());
  }

  events(): AsyncIterable<ChatEvent> {
    return this.#events.read();
  }

  async #follow(): Promise<ReplyResult> {
    try {
      while (this.#current.status === 'streaming') {
        await delay(this.context.pollIntervalMs, undefined, { signal: this.context.closing });
        this.#take((await this.record.read()) ?? this.#deleted());
        if (this.#current.status === 'streaming' && !(await this.record.isLockHeld())) {
          this.#take((await this.record.markInterrupted()) ?? (await this.record.read()) ?? this.#deleted());
        }
      }
      return this.#end();
    } catch (error) {
      const failure = this.#failureOf(error);
      return { userMessage: toMessage(this.userMessage), assistantMessage: this.#events.fail(failure, toMessage(this.#current)), error: failure };
    }
  }

  #failureOf(error: unknown): AppError {
    if (this.context.closing.aborted) return new AppError('unavailable', 'This server is shutting down; reload the conversation to follow the reply.', { retryAfter: 1 });
    this.context.logger.error({ err: error, messageId: this.id }, 'could not follow a reply');
    return new AppError('unavailable', 'The reply could not be followed to its end; reload the conversation in a moment.', { retryAfter: 5 });
  }

  /** Takes a newer state of the reply, sending the text that grew meanwhile. */
  #take(latest: MessageRecord): void {
    const known = this.#current.content;
    if (latest.content.length > known.length && latest.content.startsWith(known)) {
      this.#events.push({ type: 'text-delta', messageId: this.id, delta: latest.content.slice(known.length) });
    }
    this.#current = latest;
  }

  #deleted(): MessageRecord {
    return { ...this.#current, status: 'error', error: { type: 'not_found', message: 'The reply was deleted.' } };
  }

  #end(): ReplyResult {
    const message = toMessage(this.#current);
    const usage = this.#current.usage as Usage | undefined;
    this.#events.end([{ type: 'message-end', message, ...(usage ? { usage } : {}) }]);
    return { userMessage: toMessage(this.userMessage), assistantMessage: message, usage, error: failureOf(message) };
  }
}
