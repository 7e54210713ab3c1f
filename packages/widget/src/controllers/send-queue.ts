import type { ChatHost, ConnectionController, Scope } from './connection.controller.js';
import { measureDraft, MessageTooLongError } from '../limits.js';
import { emptyHistory, findQuestion, isAbort, localTurn, replaceMessage, type SessionMessages } from './message-history.js';
import type { ReplyStreams, SharedMessages } from './reply-streams.js';
import { createClientMessageId } from './session-store.js';
import type { SessionsController } from './sessions.controller.js';

/** How a send ended: `sent` (stored, its reply streamed), or not sent at all (`refused` before, `failed` on the way). */
export type SendOutcome = 'sent' | 'refused' | 'failed';

/** How often a send that meets a reply being written in its session follows that reply and tries again. */
const CONFLICT_ATTEMPTS = 3;

/**
 * The visitor's sends in the conversation: a message (storing a new conversation with the first one), queued behind
 * a reply that is still starting or being written, tried again after a reply written elsewhere; and Retry of a reply.
 * Works on the conversation's loaded messages and replies being streamed (`ConversationController` owns it).
 */
export class SendQueue {
  readonly #host: ChatHost;
  readonly #connection: ConnectionController;
  readonly #sessions: SessionsController;
  readonly #histories: Map<string, SessionMessages>;
  readonly #streams: ReplyStreams;
  readonly #reloadLatest: (scope: Scope, sessionId: string) => Promise<void>;
  #creating: Promise<string | null> | null = null;

  /** `reloadLatest` fetches a session's latest messages again and follows a reply being written there. */
  constructor(host: ChatHost, connection: ConnectionController, sessions: SessionsController, shared: SharedMessages, reloadLatest: (scope: Scope, sessionId: string) => Promise<void>) {
    this.#host = host;
    this.#connection = connection;
    this.#sessions = sessions;
    this.#histories = shared.histories;
    this.#streams = shared.streams;
    this.#reloadLatest = reloadLatest;
  }

  /** Forgets the session being created (another server or user). */
  reset(): void {
    this.#creating = null;
  }

  /**
   * Sends a message in the active session (storing a new conversation first) and streams the reply, written by the
   * model shown in the picker (the session moves to it). A send while a reply in that session is starting or being
   * written waits for it to end, then goes: nothing is dropped. A message longer than the server accepts is refused
   * before anything is sent; a send that meets a reply another tab or browser is writing follows that reply, then goes.
   * Resolves to what happened, so the composer can give the text back when it was not sent.
   */
  async send(content: string): Promise<SendOutcome> {
    const text = content.trim();
    if (!text) return 'refused';
    const scope = await this.#connection.ready();
    if (!scope) return 'failed';
    if (measureDraft(text, scope.limits).isOverLimit) {
      this.#connection.report(scope.signal, new MessageTooLongError(text.length, scope.limits.contentMaxLength));
      return 'refused';
    }
    const sessionId = this.#sessions.activeSessionId ?? (await this.#createSession(scope));
    if (!sessionId || scope.signal.aborted) return 'failed';
    for (let attempt = 1; ; attempt += 1) {
      for (let tracked = this.#streams.get(sessionId); tracked; tracked = this.#streams.get(sessionId)) await tracked.done;
      if (scope.signal.aborted) return 'failed';
      const history = this.#histories.get(sessionId) ?? emptyHistory();
      this.#histories.set(sessionId, history);
      const clientMessageId = createClientMessageId();
      const model = this.#sessions.selectedModel || undefined;
      const turn = localTurn(sessionId, text, clientMessageId, model ?? this.#sessions.modelOf(sessionId));
      history.messages = [...history.messages, ...turn];
      const outcome = await this.#streams.follow(scope, sessionId, text, clientMessageId, turn[1].id, { model, isNewTurn: true });
      // Started (or stopped on purpose, shown as stopped): the turn is the server's now.
      if (outcome.started || !outcome.error || isAbort(outcome.error)) return 'sent';
      // Refused before it started, so nothing was stored: the turn goes, and the text goes back to the composer.
      history.messages = history.messages.filter((message) => message !== turn[0] && message.id !== turn[1].id);
      this.#host.requestUpdate();
      if (scope.signal.aborted) return 'failed';
      if (isConflict(outcome.error) && attempt < CONFLICT_ATTEMPTS) {
        // Another tab or browser is writing a reply in this session: show it to its end, then send.
        await this.#reloadLatest(scope, sessionId);
        continue;
      }
      this.#connection.report(scope.signal, outcome.error);
      return 'failed';
    }
  }

  /**
   * Sends a failed or stopped reply's message again with its `clientMessageId`: the server writes that reply anew
   * under the same id (when it is the session's last), so the new answer streams in its place and nothing is stored twice.
   */
  async retry(assistantMessageId: string): Promise<void> {
    const scope = this.#connection.scope;
    const sessionId = this.#sessions.activeSessionId;
    const history = sessionId ? this.#histories.get(sessionId) : undefined;
    if (!scope || !sessionId || !history || this.#streams.has(sessionId)) return;
    const question = findQuestion(history.messages, history.messages.findIndex((message) => message.id === assistantMessageId));
    if (!question) return;
    if (!question.clientMessageId) {
      await this.send(question.content);
      return;
    }
    // The model shown in the picker writes the new reply (the session moves to it), and the reply is labelled with it.
    const model = this.#sessions.selectedModel || undefined;
    replaceMessage(history, assistantMessageId, ({ error: _error, ...reply }) => ({ ...reply, content: '', status: 'streaming', model: model ?? reply.model }));
    await this.#streams.follow(scope, sessionId, question.content, question.clientMessageId, assistantMessageId, { model });
  }

  /**
   * Stores the conversation a first message is sent in and makes it active (unless the visitor went elsewhere
   * meanwhile); resolves to its id, or null when it could not be stored (the banner says why).
   */
  #createSession(scope: Scope): Promise<string | null> {
    // Two sends at once share the one session being created instead of making one each.
    this.#creating ??= (async () => {
      let sessionId: string | null = null;
      await this.#connection.run(scope.signal, async () => {
        const session = await this.#sessions.create(scope);
        this.#histories.set(session.id, emptyHistory());
        sessionId = session.id;
        if (this.#sessions.activeSessionId === null) this.#sessions.activate(session.id);
      });
      return sessionId;
    })().finally(() => (this.#creating = null));
    return this.#creating;
  }
}

/** Whether an error says that a reply is already being written in the session (409). */
function isConflict(error: unknown): boolean {
  const { status, type } = (error ?? {}) as { status?: unknown; type?: unknown };
  return status === 409 || type === 'conflict';
}
