import type { Message, ParsedChatRequest } from '@ai-chat/protocol';
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import { isDuplicateKeyError } from '../data/duplicate-key.js';
import { createStores } from '../data/stores.js';
import { AppError, notFound } from '../errors/app-error.js';
import type { Models } from '../models/index.js';
import type { Metrics } from '../observability/metrics.js';
import type { ModelRegistry } from '../providers/model-registry.js';
import { ConversationTree, countMessages } from './conversation-tree.js';
import type { HeldLock } from './exchange.js';
import { ExistingReplies } from './existing-reply.js';
import { LiveReply, type ReplyTiming } from './live-reply.js';
import { previewOf } from './message-text.js';
import { toMessagesWithVersions } from './message-versions.js';
import { PromptPolicy } from './prompt-policy.js';
import type { Reply } from './reply.js';
import { ReplyRegistry } from './reply-registry.js';
import { ReplyStarter, type ChatContext } from './reply-starter.js';

/** Options of the {@link ChatService}. */
export interface ChatServiceOptions extends Partial<ReplyTiming> {
  /** How many of a session's newest messages are read to build the history sent upstream. */
  historyMessages?: number;
  /** How often the sweep looks for replies whose writer went away (default: half the lock's lifetime, at most 5 s). */
  sweepIntervalMs?: number;
}

/** How long a session's reply lock lives without renewal, unless configured (`REPLY_LOCK_TTL_MS`). */
export const DEFAULT_LOCK_TTL_MS = 30_000;

/**
 * The chat flow: stores the visitor's message before calling the provider, writes the reply as it streams, keeps one
 * reply at a time per session (a lock in MongoDB, so it holds across processes), answers a retried `clientMessageId`
 * with the existing reply, and stops replies on request from any process.
 */
export class ChatService {
  private readonly context: ChatContext;
  private readonly closing = new AbortController();
  private readonly starter: ReplyStarter;
  private readonly existing: ExistingReplies;

  constructor(models: Models, registry: ModelRegistry, metrics: Metrics, logger: Logger, options: ChatServiceOptions = {}) {
    this.context = {
      stores: createStores(models),
      replies: new ReplyRegistry(),
      models: registry,
      policy: new PromptPolicy({ systemPrompt: registry.systemPrompt, historyBudget: registry.historyBudget, historyMessages: options.historyMessages }),
      metrics,
      logger,
      timing: { flushIntervalMs: options.flushIntervalMs ?? 500, lockTtlMs: options.lockTtlMs ?? DEFAULT_LOCK_TTL_MS },
      closing: this.closing.signal,
    };
    this.starter = new ReplyStarter(this.context);
    this.existing = new ExistingReplies(this.context, this.starter);
  }

  /**
   * Starts a reply to a new message, to an edited message (`editOf`), or a new version of the last reply
   * (`regenerate`), under the session's reply lock; or answers with the existing reply when the `clientMessageId` was
   * seen before.
   */
  async send(owner: Types.ObjectId, request: ParsedChatRequest): Promise<Reply> {
    this.assertKnownModel(request.model);
    const lock = await this.takeLock(owner, new Types.ObjectId(request.sessionId));
    if (!lock) return this.answerBusy(owner, request);
    // A new version hides what it replaces before it is stored, so a repeated one is found first, not by its refusal.
    const isVersion = request.regenerate === true || request.editOf !== undefined;
    if (isVersion && request.clientMessageId !== undefined && (await this.isSeen(lock, request.clientMessageId))) return this.answerRepeated(lock, request);
    try {
      return await this.start(lock, request);
    } catch (error) {
      if (request.clientMessageId !== undefined && isDuplicateKeyError(error, 'clientMessageId')) return this.answerRepeated(lock, request);
      await this.releaseLock(lock);
      throw error;
    }
  }

  /**
   * Shows one version of a message, with the branch that followed it when it was last shown, in place of the
   * version shown now (under the session's reply lock, so never while a reply is written there). The messages from
   * it to the end of the branch, oldest first.
   */
  async show(owner: Types.ObjectId, messageId: string): Promise<Message[]> {
    const { messages, sessions } = this.context.stores;
    const target = await messages.findOwnedById(owner, new Types.ObjectId(messageId));
    if (!target) throw notFound('Message');
    const lock = await this.takeLock(owner, target.sessionId);
    if (!lock) {
      if (!(await sessions.findOwned(owner, target.sessionId))) throw notFound('Message');
      throw new AppError('conflict', 'A reply is being written in this session; wait for it or stop it');
    }
    try {
      await this.starter.interruptLapsedReply(lock);
      const tree = new ConversationTree(await messages.readTree(owner, target.sessionId));
      const branch = tree.branchThrough(tree.get(target._id)!);
      const { show, hide } = tree.changesToShow(branch);
      await messages.switchBranch(owner, target.sessionId, show.map((node) => node._id), hide.map((node) => node._id), new Date());
      const tail = branch.slice(branch.findIndex((node) => node._id.equals(target._id)));
      const records = await messages.findManyOwned(owner, target.sessionId, tail.map((node) => node._id));
      records.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a._id.toHexString().localeCompare(b._id.toHexString()));
      const last = records.at(-1)!;
      await sessions.update(owner, target.sessionId, {
        messageCount: countMessages(branch),
        lastMessage: { role: last.role, preview: previewOf(last.content), createdAt: last.createdAt },
        tailId: last._id,
      });
      return await toMessagesWithVersions(messages, owner, target.sessionId, records);
    } finally {
      await this.releaseLock(lock);
    }
  }

  /** Stops the reply being written in a session, from whichever process writes it. */
  async stop(owner: Types.ObjectId, sessionId: string): Promise<void> {
    const session = await this.context.stores.sessions.findOwned(owner, new Types.ObjectId(sessionId));
    if (!session) throw notFound('Session');
    await this.context.stores.messages.requestStop(owner, session._id);
    this.context.replies.stopSession(session._id);
  }

  /** Stops every reply this process writes and waits until each is stored (as `stopped`); ends every following. */
  shutdown(): Promise<void> {
    this.closing.abort();
    return this.context.replies.shutdown();
  }

  /** How often replies save their text and how long their locks live. */
  get timing(): ReplyTiming {
    return this.context.timing;
  }

  /** The replies this process is writing (an erase stops those of what it erases). */
  get liveReplies(): ReplyRegistry {
    return this.context.replies;
  }

  /** How many replies this process is writing now. */
  get activeReplies(): number {
    return this.context.replies.size;
  }

  private start(lock: HeldLock, request: ParsedChatRequest): Promise<Reply> {
    if (request.regenerate) return this.starter.startRegenerate(lock, request);
    if (request.editOf !== undefined) return this.starter.startEdit(lock, { ...request, editOf: request.editOf, content: request.content! });
    return this.starter.startExchange(lock, { ...request, content: request.content! });
  }

  private async isSeen(lock: HeldLock, clientMessageId: string): Promise<boolean> {
    return (await this.context.stores.messages.findByClientMessageId(lock.owner, lock.session._id, clientMessageId)) !== null;
  }

  private async takeLock(owner: Types.ObjectId, sessionId: Types.ObjectId): Promise<HeldLock | undefined> {
    const replyId = new Types.ObjectId();
    const { lockTtlMs } = this.context.timing;
    const askedAt = Date.now();
    const session = await this.context.stores.sessions.takeReplyLock(owner, sessionId, replyId, lockTtlMs);
    return session ? { owner, session, replyId, validUntil: askedAt + lockTtlMs } : undefined;
  }

  private async releaseLock(lock: HeldLock): Promise<void> {
    await this.context.stores.sessions
      .releaseReplyLock(lock.owner, lock.session._id, lock.replyId)
      .catch((error: unknown) => this.context.logger.warn({ err: error }, 'could not release a reply lock'));
  }

  /** The session is missing, or busy with a reply: maybe the one this `clientMessageId` asked for. */
  private async answerBusy(owner: Types.ObjectId, request: ParsedChatRequest): Promise<Reply> {
    const session = await this.context.stores.sessions.findOwned(owner, new Types.ObjectId(request.sessionId));
    if (!session) throw notFound('Session');
    const { clientMessageId, model } = request;
    const existing = clientMessageId === undefined ? undefined : await this.existing.findRaced(owner, { session, clientMessageId, model });
    if (existing) return existing;
    throw new AppError('conflict', 'A reply is already being written in this session; wait for it or stop it');
  }

  /** The `clientMessageId` was stored before: answer with its reply, handing the lock on only to a reply written now. */
  private async answerRepeated(lock: HeldLock, request: ParsedChatRequest): Promise<Reply> {
    let reply: Reply | undefined;
    try {
      reply = await this.existing.find(lock.owner, { session: lock.session, clientMessageId: request.clientMessageId!, model: request.model }, lock);
      if (!reply) throw new AppError('conflict', 'This message changed meanwhile; reload the conversation');
      return reply;
    } finally {
      if (!(reply instanceof LiveReply && reply.id === lock.replyId.toHexString())) await this.releaseLock(lock);
    }
  }

  private assertKnownModel(model: string | undefined): void {
    if (model === undefined || this.context.models.get(model)) return;
    throw new AppError('invalid_request', `model: unknown model "${model}"`, { details: [{ path: 'model', message: `unknown model "${model}"` }] });
  }
}
