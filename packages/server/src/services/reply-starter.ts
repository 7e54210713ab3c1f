import type { ChatEvent, ParsedChatRequest, Versions } from '@ai-chat/protocol';
import { Types } from 'mongoose';
import type { ExchangeChanges } from '../data/session.store.js';
import type { Stores } from '../data/stores.js';
import { AppError, notFound } from '../errors/app-error.js';
import { toSessionSummary, type ChatSessionRecord, type MessageRecord } from '../models/index.js';
import type { ChatModel, ChatTurn } from '../providers/chat-model.js';
import type { ModelRegistry } from '../providers/model-registry.js';
import { ConversationTree, countMessages, type TreeNode } from './conversation-tree.js';
import { exchangeChanges, newReply, newUserMessage, sessionAfter, type HeldLock } from './exchange.js';
import { LiveReply, type LiveReplyContext } from './live-reply.js';
import { previewOf, titleFromMessage } from './message-text.js';
import { versionsOf } from './message-versions.js';
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
  /** The session as `write` leaves it, announced right after `message-start`. */
  after?: ChatSessionRecord | undefined;
  /** Where the new messages stand among their versions. */
  versions?: { user?: Versions | undefined; reply?: Versions | undefined } | undefined;
}

/**
 * Starts replies under a held session lock, with as few sequential database round trips as the durability rules
 * allow: the history is read while the messages are stored, and the session's counters are written while the model
 * starts. The user message is always stored before the model is called.
 */
export class ReplyStarter {
  constructor(private readonly context: ChatContext) {}

  /** Stores a new exchange (the visitor's message and the reply placeholder, in one write) and starts the reply. */
  async startExchange(lock: HeldLock, request: ParsedChatRequest & { content: string }): Promise<LiveReply> {
    const model = this.modelFor(lock.session, request.model);
    const parentId = await this.tailOf(lock);
    const userMessage = newUserMessage(lock.session, { content: request.content, clientMessageId: request.clientMessageId, parentId }, new Date());
    const reply = newReply(lock, userMessage, model.id);
    const history = this.readHistory(lock, userMessage._id);
    await Promise.all([this.context.stores.messages.insertExchange(lock.owner, userMessage, reply), this.interruptLapsedReply(lock)]);
    const turns = history.then((stored) => [...stored, { role: 'user' as const, content: userMessage.content }]);
    return this.launch(lock, userMessage, reply, model, turns, { changes: exchangeChanges(lock.session, model.id, userMessage, reply) });
  }

  /**
   * Writes a new version of the session's last reply (with the model asked for now, which the session takes); the
   * earlier version stays stored, hidden, and can be shown again.
   */
  async startRegenerate(lock: HeldLock, request: ParsedChatRequest): Promise<LiveReply> {
    const { messages } = this.context.stores;
    const model = this.modelFor(lock.session, request.model);
    await this.interruptLapsedReply(lock);
    const tree = new ConversationTree(await messages.readTree(lock.owner, lock.session._id));
    const branch = tree.shownPath();
    const last = branch.at(-1);
    const userId = last?.role === 'assistant' ? tree.parentOf(last) : null;
    const userMessage = userId ? await messages.findOwned(lock.owner, lock.session._id, userId) : null;
    if (!last || !userMessage || userMessage.role !== 'user') throw new AppError('conflict', 'The conversation does not end with a reply to regenerate');
    const group = last.versionGroup ?? last._id;
    const reply = { ...newReply(lock, userMessage, model.id, last.createdAt), versionGroup: group };
    if (request.clientMessageId !== undefined) reply.clientMessageId = request.clientMessageId;
    await Promise.all([messages.startVersionGroup(lock.owner, last._id), messages.switchBranch(lock.owner, lock.session._id, [], [last._id], new Date())]);
    const history = this.readHistory(lock, reply._id);
    await messages.insert(lock.owner, reply);
    const replyVersions = versionsOf(reply, await this.versionEntries(lock, group));
    const changes = this.branchChanges(lock, model.id, userMessage, reply, countMessages(branch));
    return this.launch(lock, userMessage, reply, model, history, { ...changes, versions: { reply: replyVersions } });
  }

  /**
   * Writes a new version of a user message of the session with new text, and a reply to it. The branch that followed
   * the earlier version stays stored, hidden, and comes back when that version is shown again.
   */
  async startEdit(lock: HeldLock, request: ParsedChatRequest & { editOf: string; content: string }): Promise<LiveReply> {
    const { messages } = this.context.stores;
    const model = this.modelFor(lock.session, request.model);
    await this.interruptLapsedReply(lock);
    const tree = new ConversationTree(await messages.readTree(lock.owner, lock.session._id));
    const edited = tree.get(request.editOf);
    if (!edited || edited.role !== 'user') throw notFound('Message');
    const parentId = tree.parentOf(edited);
    const parent = parentId ? tree.get(parentId) : undefined;
    const prefix = parent ? tree.ancestry(parent) : [];
    const { show, hide } = tree.changesToShow(prefix);
    const group = edited.versionGroup ?? edited._id;
    const at = new Date();
    await Promise.all([messages.startVersionGroup(lock.owner, edited._id), messages.switchBranch(lock.owner, lock.session._id, ids(show), ids(hide), at)]);
    const createdAt = new Date(Math.max(at.getTime(), ...tree.shownPath().map((node) => node.createdAt.getTime() + 1)));
    const userMessage = newUserMessage(lock.session, { content: request.content, clientMessageId: request.clientMessageId, parentId, versionGroup: group }, createdAt);
    const reply = newReply(lock, userMessage, model.id);
    const history = this.readHistory(lock, userMessage._id);
    await messages.insertExchange(lock.owner, userMessage, reply);
    const turns = history.then((stored) => [...stored, { role: 'user' as const, content: userMessage.content }]);
    const userVersions = versionsOf(userMessage, await this.versionEntries(lock, group));
    const changes = this.branchChanges(lock, model.id, userMessage, reply, countMessages(prefix) + 2, !parent);
    return this.launch(lock, userMessage, reply, model, turns, { ...changes, versions: { user: userVersions } });
  }

  /** Completes a send whose visitor message was stored but whose reply placeholder was not (its write failed). */
  async completeExchange(lock: HeldLock, userMessage: MessageRecord, requestedModel: string | undefined): Promise<LiveReply> {
    const model = this.modelFor(lock.session, requestedModel);
    const reply = newReply(lock, userMessage, model.id);
    // The visitor's message is the newest stored one, so the stored history already ends with it.
    const history = this.readHistory(lock);
    await Promise.all([this.context.stores.messages.insert(lock.owner, reply), this.interruptLapsedReply(lock)]);
    return this.launch(lock, userMessage, reply, model, history, { changes: exchangeChanges(lock.session, model.id, userMessage, reply) });
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
    if (model.id === lock.session.model) return this.launch(lock, userMessage, restarted, model, history, {});
    const write = (record: ReplyRecord) => record.updateSession({ model: model.id });
    return this.launch(lock, userMessage, restarted, model, history, { write, after: { ...lock.session, model: model.id } });
  }

  private launch(lock: HeldLock, userMessage: MessageRecord, reply: MessageRecord, model: ChatModel, turns: Promise<ChatTurn[]>, effect: SessionEffect): LiveReply {
    const { stores, policy, replies } = this.context;
    const { changes } = effect;
    const record = new ReplyRecord(stores, lock.session._id, reply._id, lock.owner);
    const write = changes ? record.recordExchange(changes) : effect.write?.(record);
    const after = changes ? sessionAfter(lock.session, changes) : effect.after;
    const sessionUpdate: ChatEvent | undefined = after ? { type: 'session-update', session: toSessionSummary(after) } : undefined;
    const live = replies.add(
      new LiveReply(this.context, {
        record,
        userMessage,
        reply,
        model,
        prompt: turns.then((history) => policy.forReply(model, history)),
        sessionUpdate,
        sessionWrite: write,
        lockValidUntil: lock.validUntil,
        versions: effect.versions,
      }),
    );
    if (changes?.title) this.retitle(live, userMessage.content);
    return live;
  }

  /** The message a new message follows: the end of the shown branch (looked up for sessions stored before it was kept). */
  private async tailOf(lock: HeldLock): Promise<Types.ObjectId | null> {
    if (lock.session.tailId !== undefined) return lock.session.tailId;
    if (lock.session.messageCount === 0) return null;
    return this.context.stores.messages.findLastShownId(lock.owner, lock.session._id);
  }

  /** The versions of one group as stored (the new version included: it is stored before this is read). */
  private versionEntries(lock: HeldLock, group: Types.ObjectId) {
    return this.context.stores.messages.findVersions(lock.owner, lock.session._id, [group]);
  }

  /**
   * What a new version changes on its session: the model, the count and last message of the branch now shown, its
   * end, and (when the first message was edited and the title came from it) the title.
   */
  private branchChanges(lock: HeldLock, model: string, userMessage: MessageRecord, reply: MessageRecord, messageCount: number, isFirst = false): SessionEffect {
    const changes: Partial<ChatSessionRecord> = {
      model,
      messageCount,
      lastMessage: { role: 'user', preview: previewOf(userMessage.content), createdAt: userMessage.createdAt },
      tailId: reply._id,
      updatedAt: new Date(),
      ...(isFirst && lock.session.titleSource === 'first-message' ? { title: titleFromMessage(userMessage.content) } : {}),
    };
    return { write: (record) => record.updateSession(changes), after: { ...lock.session, ...changes } };
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
  async interruptLapsedReply(lock: HeldLock): Promise<void> {
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

function ids(nodes: TreeNode[]): Types.ObjectId[] {
  return nodes.map((node) => node._id);
}

function replyChanged(): AppError {
  return new AppError('conflict', 'This reply changed meanwhile; reload the conversation');
}
