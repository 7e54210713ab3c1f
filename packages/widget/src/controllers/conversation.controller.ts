import type { ReactiveController } from 'lit';
import type { ChatHost, ConnectionController, Scope } from './connection.controller.js';
import { emptyHistory, olderThanLatest, type SessionMessages } from './message-history.js';
import { createSharedMessages, type ReplyStreams, type SharedMessages } from './reply-streams.js';
import { SendQueue, type SendOutcome } from './send-queue.js';
import type { SyncMessage } from '../sync/sync-channel.js';
import type { SessionsController } from './sessions.controller.js';

export type { SendOutcome } from './send-queue.js';

/** How many messages one page of the log loads. */
export const MESSAGE_PAGE = 50;
const STOP_GRACE_MS = 5000;

/**
 * The open conversation: the messages of each session as far as they are loaded, the replies being streamed, send
 * (queued behind a reply that is still starting or being written, in `SendQueue`), stop, retry, older pages, and what
 * the visitor's other views changed. Versions and ratings are `VersionsController`'s.
 */
export class ConversationController implements ReactiveController {
  readonly #host: ChatHost;
  readonly #connection: ConnectionController;
  readonly #sessions: SessionsController;
  readonly #histories: Map<string, SessionMessages>;
  readonly #streams: ReplyStreams;
  readonly #sending: SendQueue;

  /** `shared`: the loaded messages and replies being streamed, when other controllers (`VersionsController`) share them. */
  constructor(host: ChatHost, connection: ConnectionController, sessions: SessionsController, shared: SharedMessages = createSharedMessages(host, sessions)) {
    this.#host = host;
    this.#connection = connection;
    this.#sessions = sessions;
    this.#histories = shared.histories;
    this.#streams = shared.streams;
    this.#sending = new SendQueue(host, connection, sessions, shared, (scope, sessionId) => this.#reloadLatest(scope, sessionId));
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
    this.#sending.reset();
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
   * Sends a message in the active session (storing a new conversation first) and streams the reply; waits for a reply
   * still starting or being written in that session, then goes. Resolves to what happened (see `SendQueue.send`).
   */
  send(content: string): Promise<SendOutcome> {
    return this.#sending.send(content);
  }

  /** Streams a failed or stopped reply again in its place, under the same ids (see `SendQueue.retry`). */
  retry(assistantMessageId: string): Promise<void> {
    return this.#sending.retry(assistantMessageId);
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
    const older = olderThanLatest(history, page.messages);
    if (history && older.length > 0) Object.assign(history, { messages: [...older, ...page.messages], isLoaded: true });
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
