import type { Message } from '@ai-chat/protocol';
import { AiFeedbackEvent, type FeedbackRating } from '../events.js';
import type { ChatHost, ConnectionController, Scope } from './connection.controller.js';
import { MESSAGE_PAGE } from './conversation.controller.js';
import { localTurn, olderThanLatest, replaceMessage, type SessionMessages } from './message-history.js';
import type { ReplyStreams, SharedMessages } from './reply-streams.js';
import { createClientMessageId } from './session-store.js';
import type { SessionsController } from './sessions.controller.js';

/** A message with the fields of CONTRACT.md section 4 that it carries when it has versions or a rating. */
type Versioned = Message & { versions?: { index: number; count: number; ids?: string[] }; feedback?: { rating: 'up' | 'down'; reason?: string } };

/**
 * The versions and ratings of the active session's messages: regenerate the last reply, edit the last user message,
 * step between the stored versions of a message, and rate a reply. Works on the conversation's loaded messages and
 * replies being streamed (shared with `ConversationController`); a new version waits until no reply is being written.
 */
export class VersionsController {
  readonly #host: ChatHost;
  readonly #connection: ConnectionController;
  readonly #sessions: SessionsController;
  readonly #histories: Map<string, SessionMessages>;
  readonly #streams: ReplyStreams;

  /** `shared`: the conversation's loaded messages and replies being streamed (the same as `ConversationController`'s). */
  constructor(host: ChatHost, connection: ConnectionController, sessions: SessionsController, shared: SharedMessages) {
    this.#host = host;
    this.#connection = connection;
    this.#sessions = sessions;
    this.#histories = shared.histories;
    this.#streams = shared.streams;
  }

  /**
   * Writes a new version of the session's last reply with the model picked now; the earlier version stays stored and
   * can be shown again (`showVersion`).
   */
  async regenerate(replyId: string): Promise<void> {
    const { scope, sessionId, history } = this.#idle();
    if (!scope || !sessionId || !history || history.messages.at(-1)?.id !== replyId) return;
    const model = this.#sessions.selectedModel || undefined;
    replaceMessage(history, replyId, (reply) => ({ ...reply, content: '', status: 'streaming', model: model ?? reply.model, feedback: undefined }) as Message);
    await this.#streams.follow(scope, sessionId, { sessionId, regenerate: true, model }, '', replyId);
    await this.#refresh(scope, sessionId);
  }

  /** Sends a new version of the session's last user message and streams a new reply; the earlier turn stays stored. */
  async edit(messageId: string, content: string): Promise<void> {
    const text = content.trim();
    const { scope, sessionId, history } = this.#idle();
    const index = history?.messages.findIndex((message) => message.id === messageId) ?? -1;
    if (!scope || !sessionId || !history || !text || index < 0) return;
    const clientMessageId = createClientMessageId();
    const turn = localTurn(sessionId, text, clientMessageId, this.#sessions.modelOf(sessionId));
    history.messages = [...history.messages.slice(0, index), ...turn];
    await this.#streams.follow(scope, sessionId, { sessionId, editOf: messageId, content: text, clientMessageId }, clientMessageId, turn[1].id);
    await this.#refresh(scope, sessionId);
  }

  /** Shows the previous (`-1`) or next (`1`) version of a message, with the rest of the conversation on its branch. */
  async showVersion(messageId: string, step: -1 | 1): Promise<void> {
    const { scope, sessionId, history } = this.#idle();
    const index = history?.messages.findIndex((message) => message.id === messageId) ?? -1;
    const versions = (history?.messages[index] as Versioned | undefined)?.versions;
    const target = versions?.ids?.[versions.index - 1 + step];
    const show = scope?.client.messages.show;
    if (!scope || !sessionId || !history || !target || !show) return;
    await this.#connection.run(scope.signal, async () => {
      const tail = await show.call(scope.client.messages, target, { signal: scope.signal });
      scope.signal.throwIfAborted();
      history.messages = [...history.messages.slice(0, index), ...tail];
      this.#sessions.upsert(await scope.client.sessions.retrieve(sessionId, { signal: scope.signal }), false);
    });
  }

  /**
   * Rates a reply (`null` takes the rating back), with an optional reason; shown at once, stored on the server, then
   * announced to the host page with an `ai-feedback` event. A rating the server refuses is taken back.
   */
  async rate(messageId: string, rating: FeedbackRating, reason?: string): Promise<void> {
    const scope = this.#connection.scope;
    const sessionId = this.#sessions.activeSessionId;
    const history = sessionId ? this.#histories.get(sessionId) : undefined;
    const before = history?.messages.find((message) => message.id === messageId) as Versioned | undefined;
    const feedback = scope?.client.messages.feedback;
    if (!scope || !history || !before || !feedback) return;
    const local = rating ? { rating, ...(reason ? { reason } : {}), updatedAt: new Date().toISOString() } : undefined;
    replaceMessage(history, messageId, (message) => ({ ...message, feedback: local }) as Message);
    this.#host.requestUpdate();
    await this.#connection.run(
      scope.signal,
      async () => {
        const stored = await feedback.call(scope.client.messages, messageId, { rating, ...(reason ? { reason } : {}) }, { signal: scope.signal });
        replaceMessage(history, messageId, () => stored);
        this.#host.dispatchEvent(new AiFeedbackEvent(messageId, rating, reason));
      },
      () => replaceMessage(history, messageId, () => before),
    );
  }

  /** The active session's scope and history when no reply is being written in it (versions wait for that). */
  #idle(): { scope: Scope | null; sessionId: string | null; history: SessionMessages | undefined } {
    const scope = this.#connection.scope;
    const sessionId = this.#sessions.activeSessionId;
    if (!scope || !sessionId || this.#streams.has(sessionId)) return { scope: null, sessionId: null, history: undefined };
    return { scope, sessionId, history: this.#histories.get(sessionId) };
  }

  /** Loads the latest page again after a new version: the server's versions and ids replace the local ones. */
  async #refresh(scope: Scope, sessionId: string): Promise<void> {
    if (scope.signal.aborted || this.#streams.has(sessionId)) return;
    await this.#connection.run(scope.signal, async () => {
      const page = await scope.client.messages.list(sessionId, { limit: MESSAGE_PAGE }, { signal: scope.signal });
      scope.signal.throwIfAborted();
      const history = this.#histories.get(sessionId);
      if (!history || this.#streams.has(sessionId)) return;
      // Older pages the visitor loaded stay; the latest page replaces the rest (the new version is in it).
      const older = olderThanLatest(history, page.messages);
      Object.assign(history, older.length > 0 ? { messages: [...older, ...page.messages] } : { messages: page.messages, hasMore: page.hasMore });
    });
  }
}
