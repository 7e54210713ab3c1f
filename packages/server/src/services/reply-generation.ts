import type { ChatEvent, Message, Usage } from '@ai-chat/protocol';
import type { Logger } from 'pino';
import { toMessage, toSessionSummary, type ChatSessionRecord, type MessageRecord, type Models } from '../models/index.js';
import type { Metrics } from '../observability/metrics.js';
import { isAbortError } from '../providers/abort-error.js';
import type { ChatModel, ChatTurn } from '../providers/chat-model.js';
import { ProviderError } from '../providers/provider-error.js';
import { previewOf } from './message-text.js';

/** Receives a reply's events, from `message-start` to `message-end`. */
export type ReplyListener = (event: ChatEvent) => void;

/** What a finished reply left behind. */
export interface ReplyResult {
  userMessage: Message;
  assistantMessage: Message;
  usage?: Usage | undefined;
}

/** Timing of a generation's writes. */
export interface GenerationTiming {
  /** How often the growing text is saved and the stop flag read (the stop takes at most this long to notice). */
  flushIntervalMs: number;
  /** How long a session's reply lock lives without renewal (a crashed process frees it after this). */
  lockTtlMs: number;
}

interface Dependencies {
  models: Models;
  metrics: Metrics;
  logger: Logger;
  timing: GenerationTiming;
}

/**
 * One assistant reply being written in this process. It runs on its own, independent of the HTTP request that
 * started it (a visitor who disconnects still gets the reply stored), saves the text as it grows, notices a stop
 * requested from any process through the message's stop flag, and always ends the message with a final status.
 */
export class ReplyGeneration {
  /** Settles with the final state once the reply is stored; never rejects. */
  readonly finished: Promise<ReplyResult>;
  private content = '';
  private readonly listeners = new Set<ReplyListener>();
  private readonly controller = new AbortController();
  private stopReason: 'stopped' | 'shutdown' | undefined;
  private saved = '';
  private lockRenewedAt = Date.now();
  private flushing: Promise<void> | undefined;
  private finalEvents: ChatEvent[] | undefined;

  constructor(
    private readonly dependencies: Dependencies,
    private readonly session: ChatSessionRecord,
    readonly userMessage: MessageRecord,
    readonly assistantMessage: MessageRecord,
    private readonly model: ChatModel,
    private readonly request: { system?: string | undefined; history: ChatTurn[] },
  ) {
    this.finished = this.run();
  }

  /**
   * Sends `message-start`, the text written so far as one `text-delta`, then every event until `message-end` to a
   * listener. Returns the function that unsubscribes it; the reply goes on either way.
   */
  subscribe(listener: ReplyListener): () => void {
    listener({ type: 'message-start', userMessage: toMessage(this.userMessage), assistantMessage: toMessage(this.assistantMessage) });
    if (this.content) listener({ type: 'text-delta', messageId: this.assistantMessage._id.toHexString(), delta: this.content });
    if (this.finalEvents) {
      this.finalEvents.forEach(listener);
      return () => {};
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends an extra event (e.g. a generated title's `session-update`) to the listeners while the reply streams. */
  announce(event: ChatEvent): void {
    if (!this.finalEvents) this.emit(event);
  }

  /** Stops the reply; it ends as `stopped` with the text written so far. */
  stop(reason: 'stopped' | 'shutdown' = 'stopped'): void {
    this.stopReason ??= reason;
    this.controller.abort();
  }

  private emit(event: ChatEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.dependencies.logger.warn({ err: error }, 'reply listener failed');
      }
    }
  }

  private async run(): Promise<ReplyResult> {
    const { metrics, logger, timing } = this.dependencies;
    const labels = { model: this.model.id };
    const started = performance.now();
    let usage: Usage | undefined;
    let outcome: Pick<MessageRecord, 'status' | 'error'> = { status: 'complete' };
    metrics.openStreams.inc();
    const timer = setInterval(() => void this.flush(), timing.flushIntervalMs);
    try {
      const parts = this.model.stream({ system: this.request.system, messages: this.request.history, signal: this.controller.signal });
      for await (const part of parts) {
        if (part.type === 'text-delta') {
          if (!part.delta) continue;
          if (!this.content) metrics.timeToFirstToken.observe(labels, (performance.now() - started) / 1000);
          this.content += part.delta;
          this.emit({ type: 'text-delta', messageId: this.assistantMessage._id.toHexString(), delta: part.delta });
        } else if (part.usage) {
          usage = part.usage;
        }
      }
      if (this.stopReason) outcome = { status: 'stopped' };
    } catch (error) {
      outcome = this.outcomeOf(error);
      if (outcome.status === 'error') {
        metrics.providerErrors.inc({ ...labels, type: outcome.error?.type ?? 'unknown' });
        logger.warn(
          { model: this.model.id, type: outcome.error?.type, detail: error instanceof ProviderError ? error.detail : undefined, err: error instanceof ProviderError ? undefined : error },
          'reply failed',
        );
      }
    } finally {
      clearInterval(timer);
      await this.flushing;
      metrics.openStreams.dec();
    }
    metrics.replies.inc({ ...labels, status: outcome.status });
    if (usage) {
      metrics.tokensStreamed.inc({ ...labels, direction: 'input' }, usage.inputTokens);
      metrics.tokensStreamed.inc({ ...labels, direction: 'output' }, usage.outputTokens);
    }
    return this.finish(outcome, usage);
  }

  private outcomeOf(error: unknown): Pick<MessageRecord, 'status' | 'error'> {
    if (this.stopReason || isAbortError(error)) return { status: 'stopped' };
    if (error instanceof ProviderError) return { status: 'error', error: { type: error.type, message: error.message } };
    return { status: 'error', error: { type: 'provider_error', message: 'The reply failed unexpectedly. Please try again.' } };
  }

  /** Stores the final state, frees the session, and tells every listener. */
  private async finish(outcome: Pick<MessageRecord, 'status' | 'error'>, usage: Usage | undefined): Promise<ReplyResult> {
    const { models, logger } = this.dependencies;
    const final: MessageRecord = { ...this.assistantMessage, content: this.content, ...outcome, usage, updatedAt: new Date() };
    const events: ChatEvent[] = [];
    try {
      const stored = await models.Message.findOneAndUpdate(
        { _id: final._id },
        { $set: { content: final.content, status: final.status, ...(final.error ? { error: final.error } : {}), ...(usage ? { usage } : {}) } },
        { projection: { userId: 1 }, returnDocument: 'after' },
      ).lean<Pick<MessageRecord, 'userId'>>();
      // A visitor who signed in while the reply streamed now owns the session: free it under its current owner.
      const owner = stored?.userId ?? this.session.userId;
      const session = await models.ChatSession.findOneAndUpdate(
        { _id: this.session._id, userId: owner },
        {
          $set: {
            replyLock: null,
            ...(final.content ? { lastMessage: { role: 'assistant', preview: previewOf(final.content), createdAt: final.createdAt } } : {}),
          },
        },
        { returnDocument: 'after' },
      ).lean<ChatSessionRecord>();
      if (session) events.push({ type: 'session-update', session: toSessionSummary(session) });
    } catch (error) {
      // The message stays `streaming` until its lock lapses; the next reply in the session marks it interrupted.
      logger.error({ err: error, messageId: final._id.toHexString() }, 'could not store the end of a reply');
    }
    const message = toMessage(final);
    events.push({ type: 'message-end', message, ...(usage ? { usage } : {}) });
    this.finalEvents = events;
    events.forEach((event) => this.emit(event));
    this.listeners.clear();
    return { userMessage: toMessage(this.userMessage), assistantMessage: message, usage };
  }

  /** Saves the text written so far, reads the stop flag, and renews the session's reply lock now and then. */
  private flush(): Promise<void> {
    this.flushing ??= this.saveProgress().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async saveProgress(): Promise<void> {
    const { models, timing, logger } = this.dependencies;
    const id = this.assistantMessage._id;
    try {
      const content = this.content;
      const changed = content !== this.saved;
      const state = changed
        ? await models.Message.findOneAndUpdate({ _id: id }, { $set: { content } }, { projection: { stopRequested: 1 }, returnDocument: 'after' }).lean()
        : await models.Message.findById(id, { stopRequested: 1 }).lean();
      if (changed) this.saved = content;
      if (!state || state.stopRequested) this.stop('stopped');
      if (Date.now() - this.lockRenewedAt > timing.lockTtlMs / 3) {
        this.lockRenewedAt = Date.now();
        await models.ChatSession.updateOne(
          { _id: this.session._id, 'replyLock.messageId': id },
          { $set: { 'replyLock.expiresAt': new Date(Date.now() + timing.lockTtlMs) } },
          { timestamps: false },
        );
      }
    } catch (error) {
      logger.warn({ err: error, messageId: id.toHexString() }, 'could not save a reply in progress');
    }
  }
}
