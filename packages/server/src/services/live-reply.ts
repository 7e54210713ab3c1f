import type { ChatEvent, Message, Usage } from '@ai-chat/protocol';
import type { Logger } from 'pino';
import { AppError } from '../errors/app-error.js';
import { toMessage, toSessionSummary, type MessageRecord } from '../models/index.js';
import type { Metrics } from '../observability/metrics.js';
import type { ChatModel } from '../providers/chat-model.js';
import { ProviderError } from '../providers/provider-error.js';
import { previewOf } from './message-text.js';
import type { Prompt } from './prompt-policy.js';
import { failureOf, type Reply, type ReplyResult } from './reply.js';
import { ReplyEvents } from './reply-events.js';
import { ReplyProgress } from './reply-progress.js';
import type { ReplyRecord } from './reply-record.js';

/** Timing of a live reply's writes. */
export interface ReplyTiming {
  /** How often the growing text is saved and the stop flag read (the stop takes at most this long to notice). */
  flushIntervalMs: number;
  /** How long a session's reply lock lives without renewal (a crashed process frees it after this). */
  lockTtlMs: number;
}

/** What a live reply needs from the chat service. */
export interface LiveReplyContext {
  metrics: Metrics;
  logger: Logger;
  timing: ReplyTiming;
}

/** One reply to write: its stored messages, the model, and what to send it. */
export interface LiveReplyPlan {
  record: ReplyRecord;
  userMessage: MessageRecord;
  reply: MessageRecord;
  model: ChatModel;
  /** The prompt, possibly still being read from the database: a failure there ends the reply as an error. */
  prompt: Promise<Prompt>;
  /** The session as the exchange left it, sent right after `message-start`. */
  sessionUpdate?: ChatEvent | undefined;
  /** The exchange's write to its session, finished before the reply frees the session (so it never lands after). */
  sessionWrite?: Promise<unknown> | undefined;
}

type Outcome = Pick<MessageRecord, 'status' | 'error'> & { failure?: AppError | undefined };

/**
 * A reply this process writes. It runs on its own, independent of the HTTP request that started it (a visitor who
 * disconnects still gets the reply stored), saves the text as it grows, notices a stop requested from any process
 * through the message's stop flag, and always ends the message with a final status.
 */
export class LiveReply implements Reply {
  readonly id: string;
  readonly result: Promise<ReplyResult>;
  readonly #events: ReplyEvents;
  readonly #controller = new AbortController();
  #stopReason: 'stopped' | 'shutdown' | undefined;
  #content = '';

  constructor(
    private readonly context: LiveReplyContext,
    private readonly plan: LiveReplyPlan,
  ) {
    this.id = plan.reply._id.toHexString();
    this.#events = new ReplyEvents({ type: 'message-start', userMessage: toMessage(plan.userMessage), assistantMessage: toMessage(plan.reply) });
    if (plan.sessionUpdate) this.#events.push(plan.sessionUpdate);
    this.result = this.#run();
  }

  /** The session the reply is written in. */
  get sessionId(): string {
    return this.plan.record.sessionId.toHexString();
  }

  /** The text written so far. */
  get content(): string {
    return this.#content;
  }

  /** The record the reply is stored in (it knows the session's current owner). */
  get record(): ReplyRecord {
    return this.plan.record;
  }

  events(): AsyncIterable<ChatEvent> {
    return this.#events.read();
  }

  /** Sends an extra event (e.g. a generated title's `session-update`) to the readers while the reply streams. */
  announce(event: ChatEvent): void {
    this.#events.push(event);
  }

  /** Stops the reply; it ends as `stopped` with the text written so far. */
  stop(reason: 'stopped' | 'shutdown' = 'stopped'): void {
    this.#stopReason ??= reason;
    this.#controller.abort();
  }

  async #run(): Promise<ReplyResult> {
    const { metrics } = this.context;
    metrics.openStreams.inc();
    const progress = new ReplyProgress(this, this.plan.record, this.context.timing, this.context.logger);
    let outcome: Outcome = { status: 'complete' };
    let usage: Usage | undefined;
    try {
      usage = await this.#stream();
      if (this.#stopReason) outcome = { status: 'stopped' };
    } catch (error) {
      outcome = this.#outcomeOf(error);
    } finally {
      await progress.stop();
      metrics.openStreams.dec();
    }
    this.#count(outcome, usage);
    return this.#finish(outcome, usage);
  }

  async #stream(): Promise<Usage | undefined> {
    const started = performance.now();
    const prompt = await this.plan.prompt;
    let usage: Usage | undefined;
    for await (const part of this.plan.model.stream({ ...prompt, signal: this.#controller.signal })) {
      if (part.type === 'finish') {
        usage = part.usage;
      } else if (part.delta) {
        if (!this.#content) this.context.metrics.timeToFirstToken.observe({ model: this.plan.model.id }, (performance.now() - started) / 1000);
        this.#content += part.delta;
        this.#events.push({ type: 'text-delta', messageId: this.id, delta: part.delta });
      }
    }
    return usage;
  }

  #outcomeOf(error: unknown): Outcome {
    // Only a stop aborts the controller, so whatever the model threw after it is the stop's doing.
    if (this.#controller.signal.aborted) return { status: 'stopped' };
    const { logger } = this.context;
    if (error instanceof ProviderError) {
      logger.warn({ model: this.plan.model.id, type: error.type, detail: error.detail }, 'reply failed');
      return { status: 'error', error: { type: error.type, message: error.message } };
    }
    logger.error({ err: error, messageId: this.id }, 'reply failed on our side');
    const failure = new AppError('internal', 'The reply failed on our side. Please try again.');
    return { status: 'error', error: { type: failure.type, message: failure.message }, failure };
  }

  #count(outcome: Outcome, usage: Usage | undefined): void {
    const { metrics } = this.context;
    const labels = { model: this.plan.model.id };
    if (outcome.status === 'error' && !outcome.failure) metrics.providerErrors.inc({ ...labels, type: outcome.error?.type ?? 'unknown' });
    metrics.replies.inc({ ...labels, status: outcome.status });
    if (usage) {
      metrics.tokensStreamed.inc({ ...labels, direction: 'input' }, usage.inputTokens);
      metrics.tokensStreamed.inc({ ...labels, direction: 'output' }, usage.outputTokens);
    }
  }

  /** Stores the final state, frees the session, and tells every reader. */
  async #finish(outcome: Outcome, usage: Usage | undefined): Promise<ReplyResult> {
    const message: Message = toMessage({ ...this.plan.reply, content: this.#content, status: outcome.status, error: outcome.error, updatedAt: new Date() });
    const userMessage = toMessage(this.plan.userMessage);
    try {
      await this.plan.sessionWrite?.catch((error: unknown) => this.context.logger.warn({ err: error }, 'could not count an exchange on its session'));
      await this.plan.record.finish({ content: this.#content, status: outcome.status, error: outcome.error, usage });
      const lastMessage = this.#content ? { role: 'assistant' as const, preview: previewOf(this.#content), createdAt: this.plan.reply.createdAt } : undefined;
      const session = await this.plan.record.releaseLock(lastMessage ? { lastMessage } : {});
      const sessionUpdate: ChatEvent[] = session ? [{ type: 'session-update', session: toSessionSummary(session) }] : [];
      this.#events.end([...sessionUpdate, { type: 'message-end', message, ...(usage ? { usage } : {}) }]);
      return { userMessage, assistantMessage: message, usage, error: outcome.failure ?? failureOf(message) };
    } catch (error) {
      // The message stays `streaming` until its lock lapses; the next reply in the session marks it interrupted.
      this.context.logger.error({ err: error, messageId: this.id }, 'could not store the end of a reply');
      const failure = new AppError('unavailable', 'The reply could not be stored; reload the conversation in a moment.', { retryAfter: 5 });
      return { userMessage, assistantMessage: this.#events.fail(failure, message), usage, error: failure };
    }
  }
}
