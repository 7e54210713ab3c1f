import type { ChatEvent, Message, Usage, Versions } from '@ai-chat/protocol';
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
  /** Until when the session's lock is surely this reply's (when it was asked for, plus its lifetime). */
  lockValidUntil: number;
  /** Where the two messages stand among their versions, when they have others (a regenerated reply, an edit). */
  versions?: { user?: Versions | undefined; reply?: Versions | undefined } | undefined;
}

type Outcome = Pick<MessageRecord, 'status' | 'error'> & { failure?: AppError | undefined };

/** What a reply that lost its session's lock ends with: it stops and stores nothing more (a sweep stores this). */
const INTERRUPTED = { type: 'interrupted', message: 'The reply was interrupted before it finished.' };

/** Thrown into a write of a reply whose lock is lost, so that the reply ends instead of waiting on the database. */
class LockLostError extends Error {
  override name = 'LockLostError';
}

/**
 * A reply this process writes. It runs on its own, independent of the HTTP request that started it (a visitor who
 * disconnects still gets the reply stored), saves the text as it grows, notices a stop requested from any process
 * through the message's stop flag, and always ends the message with a final status, unless it lost its session's
 * lock: then it ends its readings as `interrupted` at once and writes nothing more (the process that takes the lock,
 * or the sweep, stores it as `interrupted`).
 */
export class LiveReply implements Reply {
  readonly id: string;
  readonly result: Promise<ReplyResult>;
  readonly #events: ReplyEvents;
  readonly #controller = new AbortController();
  readonly #progress: ReplyProgress;
  #stopReason: 'stopped' | 'shutdown' | 'interrupted' | undefined;
  #content = '';
  #lockLost: (() => void) | undefined;
  readonly #whenLockLost: Promise<never>;

  constructor(
    private readonly context: LiveReplyContext,
    private readonly plan: LiveReplyPlan,
  ) {
    this.id = plan.reply._id.toHexString();
    this.#events = new ReplyEvents({ type: 'message-start', userMessage: this.#userMessage(), assistantMessage: this.#replyMessage(plan.reply) });
    if (plan.sessionUpdate) this.#events.push(plan.sessionUpdate);
    this.#whenLockLost = new Promise<never>((_, reject) => (this.#lockLost = () => reject(new LockLostError())));
    this.#whenLockLost.catch(() => undefined);
    this.#progress = new ReplyProgress(this, plan.record, context.timing, context.logger, plan.lockValidUntil);
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

  /** Ends the reply at once because its lock is no longer surely its own; nothing more is written. */
  interrupt(): void {
    this.#stopReason = 'interrupted';
    this.#controller.abort();
    this.#lockLost?.();
  }

  async #run(): Promise<ReplyResult> {
    const { metrics } = this.context;
    metrics.openStreams.inc();
    let outcome: Outcome = { status: 'complete' };
    let usage: Usage | undefined;
    try {
      const streaming = this.#stream();
      // A reply that lost its lock ends without waiting for the model (or the prompt's database read) to give up.
      streaming.catch(() => undefined);
      usage = await Promise.race([streaming, this.#whenLockLost]);
      if (this.#stopReason) outcome = { status: 'stopped' };
    } catch (error) {
      outcome = this.#outcomeOf(error);
    } finally {
      await this.#progress.stopSaving();
      metrics.openStreams.dec();
    }
    if (this.#stopReason === 'interrupted') outcome = { status: 'error', error: INTERRUPTED, failure: lockLostFailure() };
    this.#count(outcome, usage);
    try {
      return this.#stopReason === 'interrupted' ? this.#abandon(outcome, usage) : await this.#finish(outcome, usage);
    } finally {
      this.#progress.end();
    }
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

  /** Stores the final state, frees the session, and tells every reader; only while the lock is surely its own. */
  async #finish(outcome: Outcome, usage: Usage | undefined): Promise<ReplyResult> {
    const message: Message = this.#replyMessage({ ...this.plan.reply, content: this.#content, status: outcome.status, error: outcome.error, updatedAt: new Date() });
    const userMessage = this.#userMessage();
    try {
      const counted = this.plan.sessionWrite?.catch((error: unknown) => this.context.logger.warn({ err: error }, 'could not count an exchange on its session'));
      await this.#whileLocked(() => counted);
      await this.#whileLocked(() => this.plan.record.finish({ content: this.#content, status: outcome.status, error: outcome.error, usage }));
      const lastMessage = this.#content ? { role: 'assistant' as const, preview: previewOf(this.#content), createdAt: this.plan.reply.createdAt } : undefined;
      const session = await this.#whileLocked(() => this.plan.record.releaseLock(lastMessage ? { lastMessage } : {}));
      const sessionUpdate: ChatEvent[] = session ? [{ type: 'session-update', session: toSessionSummary(session) }] : [];
      this.#events.end([...sessionUpdate, { type: 'message-end', message, ...(usage ? { usage } : {}) }]);
      return { userMessage, assistantMessage: message, usage, error: outcome.failure ?? failureOf(message) };
    } catch (error) {
      if (error instanceof LockLostError) return this.#abandon({ status: 'error', error: INTERRUPTED, failure: lockLostFailure() }, usage);
      // The message stays `streaming` until its lock lapses; the sweep (or the next reply) marks it interrupted.
      this.context.logger.error({ err: error, messageId: this.id }, 'could not store the end of a reply');
      const failure = new AppError('unavailable', 'The reply could not be stored; reload the conversation in a moment.', { retryAfter: 5 });
      return { userMessage, assistantMessage: this.#events.fail(failure, message), usage, error: failure };
    }
  }

  /** A write of the reply's end, sent only while the lock is surely its own and given up when the lock is lost. */
  async #whileLocked<T>(write: () => Promise<T> | undefined): Promise<T | undefined> {
    if (!this.#progress.holdsLock) throw new LockLostError();
    return Promise.race([write(), this.#whenLockLost]);
  }

  /**
   * Ends the readings of a reply that lost its lock, writing nothing: another reply may have begun in the session,
   * or the session is being erased. What was saved stays; the process that takes the lock, or the sweep, marks the
   * message `interrupted`.
   */
  #abandon(outcome: Outcome, usage: Usage | undefined): ReplyResult {
    const failure = outcome.failure ?? lockLostFailure();
    const message: Message = this.#replyMessage({ ...this.plan.reply, content: this.#content, status: 'error', error: INTERRUPTED, updatedAt: new Date() });
    this.#events.end([
      { type: 'error', error: { type: failure.type, message: failure.message } },
      { type: 'message-end', message },
    ]);
    return { userMessage: this.#userMessage(), assistantMessage: message, usage, error: failure };
  }

  #userMessage(): Message {
    return toMessage(this.plan.userMessage, this.plan.versions?.user);
  }

  #replyMessage(record: MessageRecord): Message {
    return toMessage(record, this.plan.versions?.reply);
  }
}

/** The error a caller of a reply that lost its lock gets: the reply could not be finished here. */
function lockLostFailure(): AppError {
  return new AppError('unavailable', 'The reply was interrupted: this server lost its hold on the conversation. Reload it and try again.', { retryAfter: 1 });
}
