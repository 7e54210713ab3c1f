import type { ReactiveController } from 'lit';
import type { Model, Session, SessionSummary } from '@ai-chat/protocol';
import { AiSessionChangeEvent } from '../events.js';
import type { ChatHost, ConnectionController, Scope } from './connection.controller.js';
import { NEW_CONVERSATION } from './session-store.js';

/** How many sessions one page of the dropdown loads. */
export const SESSION_PAGE = 20;

/**
 * The visitor's sessions: the list as far as it is paged in, the models new sessions can use, the active session
 * (remembered per server and user), rename and delete. Knows nothing about messages.
 */
export class SessionsController implements ReactiveController {
  /** The models of the server, and the one chosen for the next new session. */
  models: Model[] = [];
  selectedModel = '';
  /** Most recently active first. */
  sessions: SessionSummary[] = [];
  /** The cursor of the next page, or null when every session is loaded. */
  cursor: string | null = null;
  isLoadingMore = false;
  activeSessionId: string | null = null;

  readonly #host: ChatHost;
  readonly #connection: ConnectionController;

  constructor(host: ChatHost, connection: ConnectionController) {
    this.#host = host;
    this.#connection = connection;
    host.addController(this);
  }

  hostConnected(): void {}

  /** The active session's summary, if it is in the list. */
  get activeSession(): SessionSummary | undefined {
    return this.sessions.find((session) => session.id === this.activeSessionId);
  }

  /** Forgets the previous server+user's sessions (their loads are aborted by the connection). */
  reset(): void {
    Object.assign(this, { models: [], sessions: [], cursor: null, isLoadingMore: false, activeSessionId: null });
  }

  /** Loads the models and the first page of sessions of a new scope, then picks the session to show. */
  async load(scope: Scope): Promise<string | null> {
    const { client, signal } = scope;
    const [models, page] = await Promise.all([client.models.list({ signal }), client.sessions.list({ limit: SESSION_PAGE }, { signal })]);
    signal.throwIfAborted();
    this.models = models.models;
    this.selectedModel = this.#pickModel();
    this.sessions = page.sessions;
    this.cursor = page.nextCursor;
    return this.#restore(scope);
  }

  /**
   * Fetches the first page again and merges it in (the dropdown opened, the page became visible again): sessions made,
   * renamed, moved or deleted in another browser show up. Sessions paged in beyond the first page stay.
   */
  async refresh(scope: Scope): Promise<void> {
    const page = await scope.client.sessions.list({ limit: SESSION_PAGE }, { signal: scope.signal }).catch(() => null);
    if (!page || scope.signal.aborted) return;
    const fresh = new Set(page.sessions.map((session) => session.id));
    const oldest = page.sessions.at(-1)?.updatedAt ?? '';
    // Past the first page only what is older than its last session can still exist; with no next page, nothing can.
    const beyond = page.nextCursor ? this.sessions.filter((session) => !fresh.has(session.id) && session.updatedAt < oldest) : [];
    const active = this.sessions.find((session) => session.id === this.activeSessionId && !fresh.has(session.id) && !beyond.includes(session));
    this.sessions = [...page.sessions, ...beyond, ...(active && page.nextCursor ? [active] : [])];
    if (beyond.length === 0) this.cursor = page.nextCursor;
    this.#followActiveModel();
    this.#host.requestUpdate();
  }

  /** `refresh` of the current scope, once the element is ready (the dropdown opened). */
  async refreshIfReady(): Promise<void> {
    const scope = this.#connection.scope;
    if (scope && this.#connection.status === 'ready') await this.refresh(scope);
  }

  /** Puts a session another view changed where it belongs in the list (most recently active first). */
  merge(session: SessionSummary): void {
    const others = this.sessions.filter((existing) => existing.id !== session.id);
    const index = others.findIndex((existing) => existing.updatedAt <= session.updatedAt);
    // A session older than every one loaded belongs to a page not loaded yet, unless every page is loaded.
    if (index < 0 && this.cursor && !this.sessions.some((existing) => existing.id === session.id)) return;
    this.sessions = index < 0 ? [...others, session] : [...others.slice(0, index), session, ...others.slice(index)];
    if (session.id === this.activeSessionId) this.#followActiveModel();
    this.#host.requestUpdate();
  }

  /** Takes a session deleted elsewhere out of the list. */
  remove(sessionId: string): void {
    this.sessions = this.sessions.filter((session) => session.id !== sessionId);
    this.#host.requestUpdate();
  }

  /** Loads the next page of sessions for the dropdown. */
  async loadMore(): Promise<void> {
    const scope = this.#connection.scope;
    const cursor = this.cursor;
    if (!scope || !cursor || this.isLoadingMore) return;
    this.isLoadingMore = true;
    await this.#connection.run(scope.signal, async () => {
      const page = await scope.client.sessions.list({ limit: SESSION_PAGE, cursor }, { signal: scope.signal });
      scope.signal.throwIfAborted();
      const known = new Set(this.sessions.map((session) => session.id));
      this.sessions = [...this.sessions, ...page.sessions.filter((session) => !known.has(session.id))];
      this.cursor = page.nextCursor;
    });
    if (!scope.signal.aborted) this.isLoadingMore = false;
  }

  /** Creates a session with `model` (or the chosen one) and puts it at the top; throws what the server answered. */
  async create(scope: Scope, model?: string): Promise<Session> {
    const session = await scope.client.sessions.create({ model: model || this.selectedModel || undefined }, { signal: scope.signal });
    scope.signal.throwIfAborted();
    this.upsert(session);
    scope.sync.post({ type: 'session', session });
    return session;
  }

  /** Renames a session (trimmed, at most 100 characters; an empty title changes nothing). */
  async rename(sessionId: string, title: string): Promise<void> {
    const trimmed = title.trim().slice(0, 100);
    const scope = this.#connection.scope;
    if (!trimmed || !scope) return;
    await this.#connection.run(scope.signal, async () => {
      const session = await scope.client.sessions.update(sessionId, { title: trimmed }, { signal: scope.signal });
      scope.signal.throwIfAborted();
      this.upsert(session, false);
      scope.sync.post({ type: 'session', session });
    });
  }

  /** Deletes a session on the server and from the list; throws what the server answered (a 404 counts as deleted). */
  async delete(scope: Scope, sessionId: string): Promise<void> {
    // A 404 means it is gone already (e.g. a retried delete whose first answer was lost): that is what was asked.
    await scope.client.sessions.delete(sessionId, { signal: scope.signal }).catch((error: unknown) => {
      if ((error as { status?: number }).status !== 404) throw error;
    });
    scope.signal.throwIfAborted();
    this.remove(sessionId);
    scope.sync.post({ type: 'session-deleted', sessionId });
  }

  /**
   * Makes a session (or a fresh draft, with null) the active one, remembers it and fires `ai-session-change`. The model
   * picker shows the session's model: the model shown is the one that writes the next reply.
   */
  activate(sessionId: string | null): void {
    if (sessionId === this.activeSessionId) return;
    this.activeSessionId = sessionId;
    this.#followActiveModel();
    this.#connection.scope?.store.write(sessionId ?? NEW_CONVERSATION);
    this.#host.requestUpdate();
    this.#host.dispatchEvent(new AiSessionChangeEvent(sessionId));
  }

  /** Puts a new or changed session in the list (at the top, unless `moveToTop` is false and it is already there). */
  upsert(session: SessionSummary, moveToTop = true): void {
    const others = this.sessions.filter((existing) => existing.id !== session.id);
    const index = this.sessions.findIndex((existing) => existing.id === session.id);
    if (moveToTop || index < 0) this.sessions = [session, ...others];
    else this.sessions = this.sessions.map((existing) => (existing.id === session.id ? session : existing));
    if (session.id === this.activeSessionId) this.#followActiveModel();
    this.#host.requestUpdate();
  }

  /** Chooses the model that writes the next reply (the active session moves to it with that reply). */
  selectModel(model: string): void {
    this.selectedModel = model;
    this.#host.requestUpdate();
  }

  /** The model a session uses, if it is in the list. */
  modelOf(sessionId: string): string | null {
    return this.sessions.find((session) => session.id === sessionId)?.model ?? null;
  }

  /** The picker shows the active session's model (when the server still offers it). */
  #followActiveModel(): void {
    const model = this.activeSession?.model;
    if (model && this.models.some((candidate) => candidate.id === model)) this.selectedModel = model;
  }

  #pickModel(): string {
    const ids = this.models.map((model) => model.id);
    if (this.#host.model && ids.includes(this.#host.model)) return this.#host.model;
    if (ids.includes(this.selectedModel)) return this.selectedModel;
    return this.models.find((model) => model.default)?.id ?? ids[0] ?? '';
  }

  /** The session to show first: the remembered one (fetched if older than the first page), else the newest. */
  async #restore({ client, store, signal }: Scope): Promise<string | null> {
    const remembered = store.read();
    // The visitor was in a new conversation (after New), not stored yet: back to it, with its unsent draft.
    if (remembered === NEW_CONVERSATION) return null;
    let sessionId = remembered && this.sessions.some((session) => session.id === remembered) ? remembered : null;
    if (remembered && !sessionId) {
      // The remembered session may be older than the first page; a 404 means it is gone or someone else's.
      const session = await client.sessions.retrieve(remembered, { signal }).catch(() => null);
      signal.throwIfAborted();
      if (session) {
        this.upsert(session, false);
        sessionId = remembered;
      } else store.write(null);
    }
    return sessionId ?? this.sessions[0]?.id ?? null;
  }
}
