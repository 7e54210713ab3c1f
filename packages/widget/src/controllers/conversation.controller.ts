import type { ReactiveController } from 'lit';
import type { Message } from '@ai-chat/protocol';
import { AiFeedbackEvent, type FeedbackRating } from '../events.js';
import type { ChatHost, ConnectionController, Scope } from './connection.controller.js';
import { measureDraft, MessageTooLongError } from '../limits.js';
import type { SyncMessage } from '../sync/sync-channel.js';
import { emptyHistory, findQuestion, isAbort, localTurn, replaceMessage, type SessionMessages } from './message-history.js';
import { ReplyStreams } from './reply-streams.js';
import { createClientMessageId } from './session-store.js';
import type { SessionsController } from './sessions.controller.js';

/** How many messages one page of the log loads. */
export const MESSAGE_PAGE = 50;
const STOP_GRACE_MS = 5000;

/** A message with the fields of CONTRACT.md section 4 that it carries when it has versions or a rating. */
type Versioned = Message & { versions?: { index: number; count: number; ids?: string[] }; feedback?: { rating: 'up' | 'down'; reason?: string } };

/** How a send ended: `sent` (stored, its reply streamed), or not sent at all (`refused` before, `failed` on the way). */
export type SendOutcome = 'sent' | 'refused' | 'failed';

/** How often a send that meets a reply being written in its session follows that reply and tries again. */
const CONFLICT_ATTEMPTS = 3;

/**
 * The open conversation: the messages of each session as far as they are loaded, the replies being streamed, send
 * (queued behind a reply that is still starting or being written), stop, retry and older pages.
 */
export class ConversationController implements ReactiveController {
  readonly #host: ChatHost;
  readonly #connection: ConnectionController;
  readonly #sessions: SessionsController;
  readonly #histories = new Map<string, SessionMessages>();
  readonly #streams: ReplyStreams;
  #creating: Promise<string | null> | null = null;

  constructor(host: ChatHost, connection: ConnectionController, sessions: SessionsController) {
    this.#host = host;
    this.#connection = connection;
    this.#sessions = sessions;
    this.#streams = new ReplyStreams(host, sessions, this.#histories);
    host.addController(this);
  }

  hostConnected(): void {}

  /** The loaded messages of the active session (empty for a fresh draft). */
  get history(): SessionMessages {
    const sessionId = this.#sessions.activeSessionId;
    return (sessionId && this.#histories.get(sessionId)) || emptyHistory();
  }

  /** Whether a reply is being written in the active session. */
  get isStreaming(): boolean {
    const sessionId = this.#sessions.activeSessionId;
    return sessionId !== null && this.#streams.has(sessionId);
  }

  /** Stops following every reply and forgets every message (another server or user). */
  reset(): void {
    this.#streams.abortAll();
    this.#histories.clear();
    this.#creating = null;
  }

  /** What a new scope loads: the sessions, then the latest messages of the session shown first. */
  async loadScope(scope: Scope): Promise<void> {
    const sessionId = await this.#sessions.load(scope);
    this.#sessions.activate(sessionId);
    if (sessionId) await this.loadLatest(scope, sessionId);
  }

  /**
   * Starts a new conversation with the given model (or the chosen one): it is shown at once and stored with its first
   * message, so pressing New again and again leaves no empty sessions behind.
   */
  async newSession(model?: string): Promise<void> {
    const scope = await this.#connection.ready();
    if (!scope) return;
    if (model && this.#sessions.models.some((candidate) => candidate.id === model)) this.#sessions.selectModel(model);
    this.#sessions.activate(null);
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

  /** Makes a session active and loads its latest messages. */
  async select(sessionId: string): Promise<void> {
    const scope = await this.#connection.ready();
    if (!scope || sessionId === this.#sessions.activeSessionId) return;
    this.#sessions.activate(sessionId);
    await this.loadLatest(scope, sessionId);
  }

  /** Deletes a session; when it was the active one, the next most recent becomes active (or a fresh draft). */
  async delete(sessionId: string): Promise<void> {
    const scope = this.#connection.scope;
    if (!scope) return;
    await this.#connection.run(scope.signal, async () => {
      this.#streams.get(sessionId)?.stream.abort();
      await this.#sessions.delete(scope, sessionId);
      this.#histories.delete(sessionId);
      if (this.#sessions.activeSessionId !== sessionId) return;
      const next = this.#sessions.sessions[0]?.id ?? null;
      this.#sessions.activate(next);
      if (next) await this.loadLatest(scope, next);
    });
  }

  /** Loads the latest page of a session's messages (unless a reply is streaming in it), then follows a reply being written. */
  async loadLatest(scope: Scope, sessionId: string): Promise<void> {
    const cached = this.#histories.get(sessionId);
    if (this.#streams.has(sessionId) && cached) return;
    if (!cached) this.#histories.set(sessionId, emptyHistory(false));
    this.#host.requestUpdate();
    await this.#connection.run(scope.signal, async () => {
      const page = await scope.client.messages.list(sessionId, { limit: MESSAGE_PAGE }, { signal: scope.signal });
      scope.signal.throwIfAborted();
      if (this.#streams.has(sessionId)) return;
      this.#histories.set(sessionId, { messages: page.messages, hasMore: page.hasMore, isLoaded: true, isLoadingOlder: false });
    });
    if (scope.signal.aborted) return;
    const history = this.#histories.get(sessionId);
    if (history) history.isLoaded = true;
    this.#host.requestUpdate();
    this.#streams.resumeIfWriting(scope, sessionId);
  }

  /** Loads the page of messages before the oldest one shown, when the visitor scrolls up. */
  async loadOlder(): Promise<void> {
    const scope = this.#connection.scope;
    const sessionId = this.#sessions.activeSessionId;
    const history = sessionId ? this.#histories.get(sessionId) : undefined;
    if (!scope || !sessionId || !history?.hasMore || history.isLoadingOlder) return;
    history.isLoadingOlder = true;
    this.#host.requestUpdate();
    await this.#connection.run(scope.signal, async () => {
      const before = history.messages[0]?.id;
      const page = await scope.client.messages.list(sessionId, { limit: MESSAGE_PAGE, before }, { signal: scope.signal });
      scope.signal.throwIfAborted();
      history.messages = [...page.messages, ...history.messages];
      history.hasMore = page.hasMore;
    });
    history.isLoadingOlder = false;
    if (!scope.signal.aborted) this.#host.requestUpdate();
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
   * Fetches a session's latest messages again (another view or browser changed them) and merges them in front of the
   * older ones already loaded, then follows a reply still being written. Best effort: a failure changes nothing.
   */
  async #reloadLatest(scope: Scope, sessionId: string): Promise<void> {
    if (this.#streams.has(sessionId)) return;
    const page = await scope.client.messages.list(sessionId, { limit: MESSAGE_PAGE }, { signal: scope.signal }).catch(() => null);
    if (!page || scope.signal.aborted || this.#streams.has(sessionId)) return;
    const history = this.#histories.get(sessionId);
    const first = page.messages[0]?.id;
    const index = history && first ? history.messages.findIndex((message) => message.id === first) : -1;
    if (history && index > 0) Object.assign(history, { messages: [...history.messages.slice(0, index), ...page.messages], isLoaded: true });
    else this.#histories.set(sessionId, { messages: page.messages, hasMore: page.hasMore, isLoaded: true, isLoadingOlder: false });
    this.#host.requestUpdate();
    await this.#streams.resumeIfWriting(scope, sessionId);
  }

  /** What the visitor's other views of this server said changed: the shown lists and messages catch up. */
  applySync(message: SyncMessage, scope: Scope): void {
    if (message.type === 'session') {
      this.#sessions.merge(message.session);
      return;
    }
    const { sessionId } = message;
    if (message.type === 'session-deleted') {
      this.#streams.get(sessionId)?.stream.abort();
      this.#histories.delete(sessionId);
      this.#sessions.remove(sessionId);
      if (this.#sessions.activeSessionId !== sessionId) return;
      const next = this.#sessions.sessions[0]?.id ?? null;
      this.#sessions.activate(next);
      if (next) void this.loadLatest(scope, next);
      return;
    }
    // Messages changed: the session shown fetches them (and follows a reply being written); others load when shown.
    if (this.#sessions.activeSessionId === sessionId) void this.#reloadLatest(scope, sessionId);
    else if (!this.#streams.has(sessionId)) this.#histories.delete(sessionId);
  }

  /** Catches up with what changed elsewhere (the page became visible again): the list, and the session shown. */
  async refresh(scope: Scope): Promise<void> {
    await this.#sessions.refresh(scope);
    const sessionId = this.#sessions.activeSessionId;
    if (sessionId && !scope.signal.aborted) await this.#reloadLatest(scope, sessionId);
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
    const history = this.history;
    const before = history.messages.find((message) => message.id === messageId) as Versioned | undefined;
    const feedback = scope?.client.messages.feedback;
    if (!scope || !before || !feedback) return;
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
      if (history && !this.#streams.has(sessionId)) Object.assign(history, { messages: page.messages, hasMore: page.hasMore });
    });
  }

  /** Asks the server to stop the reply being written in the active session; it ends as `stopped`. */
  async stop(): Promise<void> {
    const scope = this.#connection.scope;
    const sessionId = this.#sessions.activeSessionId;
    const tracked = sessionId ? this.#streams.get(sessionId) : undefined;
    if (!scope || !sessionId || !tracked) return;
    // If the server takes the stop but the stream never ends, stop listening anyway so the visitor is not stuck.
    // If the stop request itself fails, the reply goes on: keep showing it, so the visitor can see it and stop again.
    const fallback = setTimeout(() => tracked.stream.abort(), STOP_GRACE_MS);
    void tracked.done.then(() => clearTimeout(fallback));
    await this.#connection.run(scope.signal, () => scope.client.sessions.stop(sessionId, { signal: scope.signal }), () => clearTimeout(fallback));
  }
}

/** Whether an error says that a reply is already being written in the session (409). */
function isConflict(error: unknown): boolean {
  const { status, type } = (error ?? {}) as { status?: unknown; type?: unknown };
  return status === 409 || type === 'conflict';
}
