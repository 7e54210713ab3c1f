import type { ReactiveController } from 'lit';
import type { ChatEvent } from '@ai-chat/protocol';
import type { ChatStreamLike } from '../chat-client-like.js';
import { AiErrorEvent, AiResponseEndEvent } from '../events.js';
import { measureDraft, MessageTooLongError } from '../limits.js';
import type { SyncMessage } from '../sync/sync-channel.js';
import type { ChatHost, ConnectionController, Scope } from './connection.controller.js';
import { DeltaBuffer } from './delta-buffer.js';
import { emptyHistory, endedReply, findQuestion, isAbort, localTurn, mergeStart, replaceMessage, type SessionMessages } from './message-history.js';
import { createClientMessageId } from './session-store.js';
import type { SessionsController } from './sessions.controller.js';

/** How many messages one page of the log loads. */
export const MESSAGE_PAGE = 50;
const STOP_GRACE_MS = 5000;

/** How a send ended: `sent` (stored, its reply streamed), or not sent at all (`refused` before, `failed` on the way). */
export type SendOutcome = 'sent' | 'refused' | 'failed';

/** How often a send that meets a reply being written in its session follows that reply and tries again. */
const CONFLICT_ATTEMPTS = 3;

/** How a followed stream ended: whether the server started the reply, and the error it ended with, if any. */
interface FollowOutcome {
  started: boolean;
  error: unknown;
}

/** A reply being followed, and a promise that settles when it ends (a send waiting for it goes next). */
interface TrackedStream {
  stream: ChatStreamLike;
  done: Promise<void>;
}

/**
 * The open conversation: the messages of each session as far as they are loaded, the replies being streamed, send
 * (queued behind a reply that is still starting or being written), stop, retry and older pages.
 */
export class ConversationController implements ReactiveController {
  readonly #host: ChatHost;
  readonly #connection: ConnectionController;
  readonly #sessions: SessionsController;
  readonly #histories = new Map<string, SessionMessages>();
  readonly #streams = new Map<string, TrackedStream>();
  readonly #deltas = new DeltaBuffer((messageId, { sessionId, text, isRestart }) => {
    const history = this.#histories.get(sessionId);
    if (history) replaceMessage(history, messageId, (message) => ({ ...message, content: isRestart ? text : message.content + text }));
    this.#host.requestUpdate();
  });
  #creating: Promise<string | null> | null = null;

  constructor(host: ChatHost, connection: ConnectionController, sessions: SessionsController) {
    this.#host = host;
    this.#connection = connection;
    this.#sessions = sessions;
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
    for (const { stream } of this.#streams.values()) stream.abort();
    this.#streams.clear();
    this.#histories.clear();
    this.#deltas.clear();
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
    this.#resumeIfWriting(scope, sessionId);
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
      const outcome = await this.#follow(scope, sessionId, text, clientMessageId, turn[1].id, { model, isNewTurn: true });
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
    await this.#follow(scope, sessionId, question.content, question.clientMessageId, assistantMessageId, { model });
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

  /**
   * Follows a reply that was still being written when its session loaded (a reload mid-reply, or another tab): the
   * same content and `clientMessageId` again make the server join the live reply instead of storing anything.
   */
  #resumeIfWriting(scope: Scope, sessionId: string): Promise<unknown> | undefined {
    const messages = this.#histories.get(sessionId)?.messages ?? [];
    const reply = messages.at(-1);
    if (reply?.role !== 'assistant' || reply.status !== 'streaming' || this.#streams.has(sessionId)) return undefined;
    const question = findQuestion(messages, messages.length - 1);
    if (!question?.clientMessageId) return undefined;
    return this.#follow(scope, sessionId, question.content, question.clientMessageId, reply.id);
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
    await this.#resumeIfWriting(scope, sessionId);
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
   * Streams the reply to a message (sent, retried or resumed) into the message shown as `replyId`. `model` (a send or
   * a Retry) is the model that writes it. A new turn that fails before the server started it is left to the caller
   * (nothing was stored: the turn is taken back); any other failure ends the reply shown as failed.
   */
  async #follow(scope: Scope, sessionId: string, content: string, clientMessageId: string, replyId: string, options: { model?: string | undefined; isNewTurn?: boolean } = {}): Promise<FollowOutcome> {
    const stream = scope.client.chat.stream({ sessionId, content, clientMessageId, ...(options.model ? { model: options.model } : {}), signal: scope.signal });
    let finish = () => {};
    const tracked: TrackedStream = { stream, done: new Promise<void>((resolve) => (finish = resolve)) };
    const outcome: FollowOutcome = { started: false, error: null };
    this.#streams.set(sessionId, tracked);
    this.#host.requestUpdate();
    try {
      for await (const event of stream) {
        if (scope.signal.aborted) break;
        if (event.type === 'message-start') {
          outcome.started = true;
          scope.sync.post({ type: 'messages', sessionId });
        }
        replyId = this.#apply(sessionId, event, replyId);
        if (event.type === 'message-end') scope.sync.post({ type: 'messages', sessionId });
        if (event.type === 'session-update') scope.sync.post({ type: 'session', session: event.session });
      }
    } catch (error) {
      outcome.error = error;
      if (!scope.signal.aborted && (outcome.started || !options.isNewTurn || isAbort(error))) this.#fail(sessionId, replyId, error);
    } finally {
      // Only this stream leaves: a newer one in the same session (a queued send) stays tracked.
      if (this.#streams.get(sessionId) === tracked) this.#streams.delete(sessionId);
      finish();
      if (!scope.signal.aborted) this.#host.requestUpdate();
    }
    return outcome;
  }

  #apply(sessionId: string, event: ChatEvent, replyId: string): string {
    const history = this.#histories.get(sessionId);
    if (!history) return replyId;
    switch (event.type) {
      case 'message-start':
        if (mergeStart(history, event, replyId)) this.#deltas.restart(event.assistantMessage.id);
        replyId = event.assistantMessage.id;
        break;
      case 'text-delta':
        this.#deltas.push(sessionId, event.messageId, event.delta);
        return event.messageId;
      case 'session-update':
        this.#sessions.upsert(event.session);
        break;
      case 'message-end':
        this.#deltas.flush();
        this.#deltas.settle(event.message.id);
        replaceMessage(history, event.message.id, () => event.message);
        this.#host.dispatchEvent(new AiResponseEndEvent(event.message));
        if (event.message.status === 'error') this.#host.dispatchEvent(new AiErrorEvent(event.message.error));
        break;
      case 'error':
        throw Object.assign(new Error(event.error.message), { type: event.error.type });
    }
    this.#host.requestUpdate();
    return replyId;
  }

  #fail(sessionId: string, replyId: string, error: unknown): void {
    this.#deltas.flush();
    const history = this.#histories.get(sessionId);
    if (history) replaceMessage(history, replyId, (reply) => endedReply(reply, error));
    if (!isAbort(error)) this.#host.dispatchEvent(new AiErrorEvent(error));
  }
}

/** Whether an error says that a reply is already being written in the session (409). */
function isConflict(error: unknown): boolean {
  const { status, type } = (error ?? {}) as { status?: unknown; type?: unknown };
  return status === 409 || type === 'conflict';
}
