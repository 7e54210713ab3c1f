import type { ChatEvent, ChatRequest } from '@ai-chat/protocol';
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import { AppError, notFound } from '../errors/app-error.js';
import { toMessage, toSessionSummary, type ChatSessionRecord, type MessageRecord, type Models } from '../models/index.js';
import type { Metrics } from '../observability/metrics.js';
import type { ChatModel, ChatTurn } from '../providers/chat-model.js';
import { selectHistory } from '../providers/history-budget.js';
import type { ModelRegistry } from '../providers/model-registry.js';
import { previewOf, titleFromMessage } from './message-text.js';
import { ReplyGeneration, type GenerationTiming, type ReplyListener, type ReplyResult } from './reply-generation.js';
import { replayStoredReply } from './stored-reply.js';
import { generateTitle } from './title-generator.js';

/** A reply as a source of events: a new one, or one that exists already (a retried `clientMessageId`). */
export interface ReplySource {
  /** Sends `message-start`, the text so far, and every later event up to `message-end`; returns an unsubscribe. */
  subscribe(listener: ReplyListener): () => void;
  /** The stored result once the reply has ended. */
  readonly finished: Promise<ReplyResult>;
}

/** Options of the {@link ChatService}. */
export interface ChatServiceOptions extends Partial<GenerationTiming> {
  /** How many of a session's newest messages are read to build the history sent upstream. */
  historyMessages?: number;
}

const MAX_HISTORY_MESSAGES = 200;
const RACED_SEND_POLLS = 5;
const RACED_SEND_POLL_MS = 50;

/**
 * The chat flow: stores the visitor's message before calling the provider, writes the reply as it streams, keeps one
 * reply at a time per session (a lock in MongoDB, so it holds across processes), answers a retried `clientMessageId`
 * with the existing reply, and stops replies on request from any process.
 */
export class ChatService {
  private readonly generations = new Map<string, ReplyGeneration>();
  private readonly timing: GenerationTiming;

  constructor(
    private readonly models: Models,
    private readonly registry: ModelRegistry,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    private readonly options: ChatServiceOptions = {},
  ) {
    this.timing = { flushIntervalMs: options.flushIntervalMs ?? 500, lockTtlMs: options.lockTtlMs ?? 30_000 };
  }

  /** Starts a reply to a new message, or returns the existing reply when the `clientMessageId` was seen before. */
  async send(userId: Types.ObjectId, request: ChatRequest): Promise<ReplySource> {
    const session = await this.models.ChatSession.findOne({ _id: new Types.ObjectId(request.sessionId), userId }).lean<ChatSessionRecord>();
    if (!session) throw notFound('Session');
    if (request.model !== undefined && !this.registry.get(request.model)) {
      throw new AppError('invalid_request', `model: unknown model "${request.model}"`, {
        details: [{ path: 'model', message: `unknown model "${request.model}"` }],
      });
    }
    const existing = request.clientMessageId ? await this.findExisting(session, request.clientMessageId, request.model) : undefined;
    if (existing) return existing;

    const assistantId = new Types.ObjectId();
    let lock: ChatSessionRecord;
    try {
      lock = await this.acquireLock(session, assistantId);
    } catch (error) {
      const isConflict = error instanceof AppError && error.type === 'conflict';
      const raced = isConflict && request.clientMessageId ? await this.joinRacedSend(session, request.clientMessageId, request.model) : undefined;
      if (raced) return raced;
      throw error;
    }
    try {
      return await this.begin(lock, assistantId, request);
    } catch (error) {
      await this.releaseLock(session, assistantId);
      if ((error as { code?: number }).code === 11000 && request.clientMessageId) {
        const raced = await this.findExisting(session, request.clientMessageId, request.model);
        if (raced) return raced;
      }
      throw error;
    }
  }

  /** Stops the reply being written in a session, from whichever process writes it. */
  async stop(userId: Types.ObjectId, sessionId: string): Promise<void> {
    const session = await this.models.ChatSession.findOne({ _id: new Types.ObjectId(sessionId), userId }).lean<ChatSessionRecord>();
    if (!session) throw notFound('Session');
    await this.models.Message.updateMany(
      { sessionId: session._id, userId, role: 'assistant', status: 'streaming' },
      { $set: { stopRequested: true } },
      { timestamps: false },
    );
    for (const generation of this.generations.values()) {
      if (generation.assistantMessage.sessionId.equals(session._id)) generation.stop('stopped');
    }
  }

  /** Stops every reply this process writes and waits until each is stored (as `stopped`). */
  async shutdown(): Promise<void> {
    const running = [...this.generations.values()];
    running.forEach((generation) => generation.stop('shutdown'));
    await Promise.all(running.map((generation) => generation.finished));
  }

  /** How many replies this process is writing now. */
  get activeReplies(): number {
    return this.generations.size;
  }

  private async begin(session: ChatSessionRecord, assistantId: Types.ObjectId, request: ChatRequest): Promise<ReplySource> {
    const model = this.modelFor(session, request.model);
    const now = new Date();
    const history = await this.history(session);
    const userMessage = await this.models.Message.create({
      sessionId: session._id,
      userId: session.userId,
      role: 'user',
      content: request.content,
      model: null,
      status: 'complete',
      ...(request.clientMessageId ? { clientMessageId: request.clientMessageId } : {}),
      createdAt: now,
    });
    const assistantMessage = await this.models.Message.create({
      _id: assistantId,
      sessionId: session._id,
      userId: session.userId,
      role: 'assistant',
      content: '',
      model: model.id,
      status: 'streaming',
      replyTo: userMessage._id,
      createdAt: new Date(now.getTime() + 1),
    });
    const isFirstMessage = session.titleSource === 'default' && session.messageCount === 0;
    const updated = await this.models.ChatSession.findOneAndUpdate(
      { _id: session._id, userId: session.userId },
      {
        $inc: { messageCount: 2 },
        $set: {
          model: model.id,
          lastMessage: { role: 'user', preview: previewOf(request.content), createdAt: now },
          ...(isFirstMessage ? { title: titleFromMessage(request.content), titleSource: 'first-message' } : {}),
        },
      },
      { returnDocument: 'after' },
    ).lean<ChatSessionRecord>();

    const turns: ChatTurn[] = [...history, { role: 'user', content: request.content }];
    const { source, generation } = this.launch(updated ?? session, userMessage.toObject(), assistantMessage.toObject(), model, turns, updated);
    if (isFirstMessage && this.registry.titleModel) this.retitle(session, request.content, generation);
    return source;
  }

  /**
   * Writes a new reply to a stored user message whose earlier reply failed or was stopped (a Retry): the same
   * assistant message starts over, so the session keeps one user message and one reply.
   */
  private async regenerate(
    session: ChatSessionRecord,
    userMessage: MessageRecord,
    reply: MessageRecord,
    requestedModel: string | undefined,
  ): Promise<ReplySource> {
    const locked = await this.acquireLock(session, reply._id);
    try {
      const model = this.modelFor(locked, requestedModel);
      const restarted = await this.models.Message.findOneAndUpdate(
        { _id: reply._id, userId: session.userId, status: { $in: ['error', 'stopped'] } },
        { $set: { content: '', status: 'streaming', model: model.id, stopRequested: false }, $unset: { error: 1, usage: 1 } },
        { returnDocument: 'after' },
      ).lean<MessageRecord>();
      if (!restarted) throw new AppError('conflict', 'This reply changed meanwhile; reload the conversation');
      if (model.id !== locked.model) {
        await this.models.ChatSession.updateOne({ _id: session._id, userId: session.userId }, { $set: { model: model.id } }, { timestamps: false });
      }
      // The user message is the newest stored turn, so the stored history already ends with it.
      return this.launch(locked, userMessage, restarted, model, await this.history(session), undefined).source;
    } catch (error) {
      await this.releaseLock(session, reply._id);
      throw error;
    }
  }

  /** Starts writing a reply in this process and hands out its events. */
  private launch(
    session: ChatSessionRecord,
    userMessage: MessageRecord,
    assistantMessage: MessageRecord,
    model: ChatModel,
    turns: ChatTurn[],
    updatedSession: ChatSessionRecord | null | undefined,
  ): { source: ReplySource; generation: ReplyGeneration } {
    const generation = new ReplyGeneration(
      { models: this.models, metrics: this.metrics, logger: this.logger, timing: this.timing },
      session,
      userMessage,
      assistantMessage,
      model,
      { system: model.systemPrompt ?? this.registry.systemPrompt, history: selectHistory(turns, this.registry.historyBudget) },
    );
    const key = assistantMessage._id.toHexString();
    this.generations.set(key, generation);
    void generation.finished.finally(() => this.generations.delete(key));
    const sessionUpdate: ChatEvent | undefined = updatedSession ? { type: 'session-update', session: toSessionSummary(updatedSession) } : undefined;
    const source: ReplySource = {
      finished: generation.finished,
      subscribe: (listener) => {
        let sentUpdate = false;
        return generation.subscribe((event) => {
          listener(event);
          if (event.type === 'message-start' && sessionUpdate && !sentUpdate) {
            sentUpdate = true;
            listener(sessionUpdate);
          }
        });
      },
    };
    return { source, generation };
  }

  private modelFor(session: ChatSessionRecord, requested: string | undefined): ChatModel {
    // A model removed from the configuration since the session began falls back to the default one.
    return this.registry.get(requested ?? session.model) ?? this.registry.defaultModel;
  }

  /** The session's stored conversation, oldest first, without failed or empty replies. */
  private async history(session: ChatSessionRecord): Promise<ChatTurn[]> {
    const records = await this.models.Message.find({
      sessionId: session._id,
      userId: session.userId,
      role: { $in: ['user', 'assistant'] },
      status: { $in: ['complete', 'stopped'] },
    })
      .sort({ createdAt: -1, _id: -1 })
      .limit(this.options.historyMessages ?? MAX_HISTORY_MESSAGES)
      .select({ role: 1, content: 1 })
      .lean<Pick<MessageRecord, 'role' | 'content'>[]>();
    return records
      .reverse()
      .filter((record) => record.content.trim() !== '')
      .map((record) => ({ role: record.role as ChatTurn['role'], content: record.content }));
  }

  /** Takes the session's reply lock, or fails with `409 conflict` while another reply is being written. */
  private async acquireLock(session: ChatSessionRecord, assistantId: Types.ObjectId): Promise<ChatSessionRecord> {
    const now = new Date();
    const before = await this.models.ChatSession.findOneAndUpdate(
      { _id: session._id, userId: session.userId, $or: [{ replyLock: null }, { 'replyLock.expiresAt': { $lt: now } }] },
      { $set: { replyLock: { messageId: assistantId, expiresAt: new Date(now.getTime() + this.timing.lockTtlMs) } } },
      { returnDocument: 'before', timestamps: false },
    ).lean<ChatSessionRecord>();
    if (!before) throw new AppError('conflict', 'A reply is already being written in this session; wait for it or stop it');
    if (before.replyLock) await this.markInterrupted(before.replyLock.messageId);
    return before;
  }

  private async releaseLock(session: ChatSessionRecord, assistantId: Types.ObjectId): Promise<void> {
    await this.models.ChatSession.updateOne(
      { _id: session._id, 'replyLock.messageId': assistantId },
      { $set: { replyLock: null } },
      { timestamps: false },
    ).catch((error: unknown) => this.logger.warn({ err: error }, 'could not release a reply lock'));
  }

  /** A reply whose process went away (its lock lapsed) ends as an error instead of streaming forever. */
  private async markInterrupted(messageId: Types.ObjectId): Promise<void> {
    if (this.generations.has(messageId.toHexString())) return;
    await this.models.Message.updateOne(
      { _id: messageId, status: 'streaming' },
      { $set: { status: 'error', error: { type: 'interrupted', message: 'The reply was interrupted before it finished.' } } },
    );
  }

  /**
   * The reply to a `clientMessageId` seen before: joined while this process writes it, followed or replayed from the
   * database otherwise, and written anew when it is the session's last reply and it failed or was stopped (Retry).
   */
  private async findExisting(session: ChatSessionRecord, clientMessageId: string, requestedModel: string | undefined): Promise<ReplySource | undefined> {
    const userMessage = await this.models.Message.findOne({ sessionId: session._id, userId: session.userId, clientMessageId }).lean<MessageRecord>();
    if (!userMessage) return undefined;
    const reply = await this.models.Message.findOne({ sessionId: session._id, userId: session.userId, replyTo: userMessage._id }).lean<MessageRecord>();
    if (!reply) throw new AppError('conflict', 'This message was stored but its reply is missing; send it again with a new clientMessageId');
    const live = this.generations.get(reply._id.toHexString());
    if (live) return { subscribe: (listener) => live.subscribe(listener), finished: live.finished };
    if ((reply.status === 'error' || reply.status === 'stopped') && (await this.isLatest(reply))) {
      return this.regenerate(session, userMessage, reply, requestedModel);
    }
    return replayStoredReply(this.models, userMessage, reply, { pollIntervalMs: this.timing.flushIntervalMs, lockTtlMs: this.timing.lockTtlMs });
  }

  /**
   * A send that lost the session's lock to the same `clientMessageId` sent at the same moment (a client retrying
   * too early): the winner stores that message within moments, and its reply is the answer to both.
   */
  private async joinRacedSend(session: ChatSessionRecord, clientMessageId: string, model: string | undefined): Promise<ReplySource | undefined> {
    for (let poll = 0; poll < RACED_SEND_POLLS; poll++) {
      await new Promise((resolve) => setTimeout(resolve, RACED_SEND_POLL_MS));
      // Until the winner has stored the reply too, the lookup may fail: keep looking.
      const existing = await this.findExisting(session, clientMessageId, model).catch(() => undefined);
      if (existing) return existing;
    }
    return undefined;
  }

  private async isLatest(message: MessageRecord): Promise<boolean> {
    const newer = await this.models.Message.exists({
      sessionId: message.sessionId,
      userId: message.userId,
      $or: [{ createdAt: { $gt: message.createdAt } }, { createdAt: message.createdAt, _id: { $gt: message._id } }],
    });
    return newer === null;
  }

  private retitle(session: ChatSessionRecord, content: string, generation: ReplyGeneration): void {
    const titleModel = this.registry.titleModel!;
    void generateTitle(titleModel, content)
      .then(async (title) => {
        if (!title) return;
        const updated = await this.models.ChatSession.findOneAndUpdate(
          { _id: session._id, userId: session.userId, titleSource: 'first-message' },
          { $set: { title, titleSource: 'generated' } },
          { returnDocument: 'after', timestamps: false },
        ).lean<ChatSessionRecord>();
        if (updated) generation.announce({ type: 'session-update', session: toSessionSummary(updated) });
      })
      .catch((error: unknown) => this.logger.warn({ err: error }, 'could not generate a session title'));
  }
}
