import type { ChatEvent, ChatRequest } from '@ai-chat/protocol';
import type { ExchangeChanges } from '../data/session.store.js';
import type { Stores } from '../data/stores.js';
import { AppError } from '../errors/app-error.js';
import { toSessionSummary, type ChatSessionRecord, type MessageRecord } from '../models/index.js';
import type { ChatModel, ChatTurn } from '../providers/chat-model.js';
import type { ModelRegistry } from '../providers/model-registry.js';
import { exchangeChanges, newReply, newUserMessage, sessionAfter, type HeldLock } from './exchange.js';
import { LiveReply, type LiveReplyContext } from './live-reply.js';
import type { PromptPolicy } from './prompt-policy.js';
import { ReplyRecord } from './reply-record.js';
import type { ReplyRegistry } from './reply-registry.js';
import { generateTitle } from './title-generator.js';

/** Everything the chat flow shares: data access, live replies, models, prompt policy, metrics, logs and timing. */
export interface ChatContext extends LiveReplyContext {
  stores: Stores;
  replies: ReplyRegistry;
  models: ModelRegistry;
  policy: PromptPolicy;
  /** Aborted when the service shuts down. */
  closing: AbortSignal;
}

/** What a new reply changes on its session: an exchange's counters, or another write under the reply's owner. */
interface SessionEffect {
  changes?: ExchangeChanges | undefined;
  write?: ((record: ReplyRecord) => Promise<unknown>) | undefined;
}

/**
 * Starts replies under a held session lock, with as few sequential database round trips as the durability rules
 * allow: the history is read while the messages are stored, and the session's counters are written while the model
 * starts. The user message is always stored before the model is called.
 */
export class ReplyStarter {
  constructor(private readonly context: ChatContext) {}

  /** Stores a new exchange (the visitor's message and the reply placeholder, in one write) and starts the reply. */
  async startExchange(lock: HeldLock, request: ChatRequest): Promise<LiveReply> {
    const model = this.modelFor(lock.session, request.model);
    const userMessage = newUserMessage(lock.session, request, new Date());
    const reply = newReply(lock, userMessage, model.id);
    const history = this.readHistory(lock, userMessage._id);
    await Promise.all([this.context.stores.messages.insertExchange(lock.owner, userMessage, reply), this.interruptLapsedReply(lock)]);
    const turns = history.then((stored) => [...stored, { role: 'user' as const, content: userMessage.content }]);
    return this.launch(lock, userMessage, reply, model, turns, { changes: exchangeChanges(lock.session, model.id, userMessage) });
  }

  /** Completes a send whose visitor message was stored but whose reply placeholder was not (its write failed). */
  async completeExchange(lock: HeldLock, userMessage: MessageRecord, requestedModel: string | undefined): Promise<LiveReply> {
    const model = this.modelFor(lock.session, requestedModel);
    const reply = newReply(lock, userMessage, model.id);
    // The visitor's message is the newest stored one, so the stored history already ends with it.
    const history = this.readHistory(lock);
    await Promise.all([this.context.stores.messages.insert(lock.owner, reply), this.interruptLapsedReply(lock)]);
    return this.launch(lock, userMessage, reply, model, history, { changes: exchangeChanges(lock.session, model.id, userMessage) });
  }

  /** Writes a failed or stopped reply anew in place (a Retry), optionally with another model, which the session takes. */
  async restartReply(lock: HeldLock, userMessage: MessageRecord, reply: MessageRecord, requestedModel: string | undefined): Promise<LiveReply> {
    const { sessions, messages } = this.context.stores;
    const model = this.modelFor(lock.session, requestedModel);
    if (!(await sessions.moveReplyLock(lock.owner, lock.session._id, lock.replyId, reply._id))) throw replyChanged();
    lock.replyId = reply._id;
    const history = this.readHistory(lock, reply._id);
    const restarted = await messages.restartReply(lock.owner, reply._id, model.id);
    if (!restarted) throw replyChanged();
    const write = model.id === lock.session.model ? undefined : (record: ReplyRecord) => record.updateSession({ model: model.id });
    return this.launch(lock, userMessage, restarted, model, history, { write });
  }

  private launch(lock: HeldLock, userMessage: MessageRecord, reply: MessageRecord, model: ChatModel, turns: Promise<ChatTurn[]>, effect: SessionEffect): LiveReply {
    const { stores, policy, replies } = this.context;
    const { changes } = effect;
    const record = new ReplyRecord(stores, lock.session._id, reply._id, lock.owner);
    const write = changes ? record.recordExchange(changes) : effect.write?.(record);
    const sessionUpdate: ChatEvent | undefined = changes ? { type: 'session-update', session: toSessionSummary(sessionAfter(lock.session, changes)) } : undefined;
    const live = replies.add(
      new LiveReply(this.context, {
        record,
        userMessage,
        reply,
        model,
        prompt: turns.then((history) => policy.forReply(model, history)),
        sessionUpdate,
        sessionWrite: write,
      }),
    );
    if (changes?.title) this.retitle(live, userMessage.content);
    return live;
  }

  /** The session's stored conversation, oldest first, as turns; a failure ends the reply that awaits it. */
  private readHistory(lock: HeldLock, excluding?: MessageRecord['_id']): Promise<ChatTurn[]> {
    const read = this.context.stores.messages
      .readHistory(lock.owner, lock.session._id, this.context.policy.historyMessages, excluding)
      .then((records) => records.reverse().map((record) => ({ role: record.role as ChatTurn['role'], content: record.content })));
    // Handled by the reply that awaits it; this keeps a failure that no reply awaits (the send failed) from going unhandled.
    read.catch(() => undefined);
    return read;
  }

  /** A reply whose process went away (its lock lapsed) ends as an error instead of streaming forever. */
  private async interruptLapsedReply(lock: HeldLock): Promise<void> {
    const lapsed = lock.session.replyLock?.messageId;
    if (!lapsed || this.context.replies.get(lapsed)) return;
    await new ReplyRecord(this.context.stores, lock.session._id, lapsed, lock.owner)
      .markInterrupted()
      .catch((error: unknown) => this.context.logger.warn({ err: error, messageId: lapsed.toHexString() }, 'could not mark a lapsed reply interrupted'));
  }

  private modelFor(session: ChatSessionRecord, requested: string | undefined): ChatModel {
    // A model removed from the configuration since the session began falls back to the default one.
    return this.context.models.get(requested ?? session.model) ?? this.context.models.defaultModel;
  }

  private retitle(live: LiveReply, content: string): void {
    const { models, policy, stores, logger } = this.context;
    if (!models.titleModel) return;
    void generateTitle(models.titleModel, policy.forTitle(content))
      .then(async (title) => {
        if (!title) return;
        const updated = await stores.sessions.setGeneratedTitle(live.record.owner, live.record.sessionId, title);
        if (updated) live.announce({ type: 'session-update', session: toSessionSummary(updated) });
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'could not generate a session title'));
  }
}

function replyChanged(): AppError {
  return new AppError('conflict', 'This reply changed meanwhile; reload the conversation');
}
