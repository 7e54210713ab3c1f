import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatEvent, Message, Model, SessionSummary } from '@ai-chat/protocol';
import type { ChatClientLike, ChatStreamLike } from './chat-client-like.js';
import { AiErrorEvent, AiReadyEvent, AiResponseEndEvent, AiSessionChangeEvent } from './events.js';
import { createClientMessageId, SessionStore } from './session-store.js';

/** What the controller needs from the element it serves. */
export interface ChatHost extends ReactiveControllerHost, HTMLElement {
  /** The API base URL the element talks to (already defaulted to the page's origin). */
  readonly serverUrl: string;
  /** The default model for new sessions, when the host page chose one. */
  readonly model?: string | undefined;
}

/** The messages of one session as far as they are loaded. */
export interface SessionMessages {
  messages: Message[];
  hasMore: boolean;
  isLoaded: boolean;
  isLoadingOlder: boolean;
}

/** An error the element shows in its banner, with the action that gets past it. */
export interface ChatFailure {
  error: unknown;
  retry?: () => void;
}

const SESSION_PAGE = 20;
const MESSAGE_PAGE = 50;
const STOP_GRACE_MS = 5000;

/**
 * Owns the conversation: the visitor, models, sessions, messages and streams, all through the SDK. The element only
 * renders what is here and calls its methods, so re-rendering or moving the element never loses a conversation.
 */
export class ChatController implements ReactiveController {
  status: 'idle' | 'loading' | 'ready' | 'error' = 'idle';
  models: Model[] = [];
  selectedModel = '';
  sessions: SessionSummary[] = [];
  sessionsCursor: string | null = null;
  isLoadingSessions = false;
  activeSessionId: string | null = null;
  failure: ChatFailure | null = null;

  readonly #host: ChatHost;
  readonly #createClient: () => ChatClientLike;
  #client: ChatClientLike | null = null;
  #store: SessionStore | null = null;
  #starting: Promise<void> | null = null;
  #creating: Promise<void> | null = null;
  readonly #histories = new Map<string, SessionMessages>();
  readonly #streams = new Map<string, ChatStreamLike>();
  readonly #pendingDeltas = new Map<string, { sessionId: string; text: string; isRestart: boolean }>();
  // Replies joined midway (after a reload): the server sends their text again from the start.
  readonly #restarting = new Set<string>();
  #frame = 0;
  #generation = 0;

  constructor(host: ChatHost, createClient: () => ChatClientLike) {
    this.#host = host;
    this.#createClient = createClient;
    host.addController(this);
  }

  hostConnected(): void {
    // Start a microtask later, so a `server` or `client` set right after the element entered the page (as
    // @lit/react and `append(element); element.server = url` do, in the same task) is the one used.
    queueMicrotask(() => {
      if (this.status === 'idle' && this.#host.isConnected) void this.start();
    });
  }

  /** The loaded messages of the active session (empty for a fresh draft). */
  get history(): SessionMessages {
    const empty: SessionMessages = { messages: [], hasMore: false, isLoaded: true, isLoadingOlder: false };
    return (this.activeSessionId && this.#histories.get(this.activeSessionId)) || empty;
  }

  /** Whether a reply is being written in the active session. */
  get isStreaming(): boolean {
    return this.activeSessionId !== null && this.#streams.has(this.activeSessionId);
  }

  /** The active session's summary, if it is in the list. */
  get activeSession(): SessionSummary | undefined {
    return this.sessions.find((session) => session.id === this.activeSessionId);
  }

  /** Drops everything and starts over, e.g. when the element is pointed at another server or user. */
  reset(): void {
    for (const stream of this.#streams.values()) stream.abort();
    this.#streams.clear();
    this.#histories.clear();
    Object.assign(this, { status: 'idle', models: [], sessions: [], sessionsCursor: null, activeSessionId: null, failure: null });
    this.#client = null;
    this.#starting = null;
    this.#generation += 1;
    if (this.#host.isConnected) void this.start();
  }

  /** Creates the visitor if needed, then loads models, sessions and the session that was active last time. */
  start(): Promise<void> {
    if (this.#starting) return this.#starting;
    // A reset (another server or user) while this start is still loading makes its answers and failures stale:
    // they must not replace what the new start loads.
    const generation = this.#generation;
    const isCurrent = () => this.#generation === generation;
    const load = () => this.#load(isCurrent).catch((error: unknown) => {
      if (isCurrent()) throw error;
    });
    this.#starting = this.#run(load, () => {
      this.status = 'error';
      this.#starting = null;
    });
    return this.#starting;
  }

  async #load(isCurrent: () => boolean): Promise<void> {
    this.status = 'loading';
    this.#host.requestUpdate();
    const client = (this.#client ??= this.#createClient());
    const store = new SessionStore(this.#host.serverUrl, await client.users.ensure());
    const [models, page] = await Promise.all([client.models.list(), client.sessions.list({ limit: SESSION_PAGE })]);
    if (!isCurrent()) return;
    this.#store = store;
    this.models = models.models;
    this.selectedModel = this.#pickModel();
    this.sessions = page.sessions;
    this.sessionsCursor = page.nextCursor;
    await this.#restoreActiveSession(isCurrent);
    if (!isCurrent()) return;
    this.status = 'ready';
    this.#host.dispatchEvent(new AiReadyEvent());
  }

  /** Loads the next page of sessions for the dropdown. */
  async loadMoreSessions(): Promise<void> {
    if (!this.sessionsCursor || this.isLoadingSessions || !this.#client) return;
    this.isLoadingSessions = true;
    await this.#run(async () => {
      const page = await this.#client!.sessions.list({ limit: SESSION_PAGE, cursor: this.sessionsCursor! });
      const known = new Set(this.sessions.map((session) => session.id));
      this.sessions = [...this.sessions, ...page.sessions.filter((session) => !known.has(session.id))];
      this.sessionsCursor = page.nextCursor;
    });
    this.isLoadingSessions = false;
    this.#host.requestUpdate();
  }

  /** Starts a new session with the given model (or the one chosen in the picker) and makes it active. */
  newSession(model?: string): Promise<void> {
    // A message typed right after "New" must land in the new session, so send() waits for this.
    this.#creating = this.#createSession(model).finally(() => (this.#creating = null));
    return this.#creating;
  }

  async #createSession(model?: string): Promise<void> {
    await this.start();
    const activeBefore = this.activeSessionId;
    await this.#run(async () => {
      const session = await this.#client!.sessions.create({ model: model || this.selectedModel || undefined });
      this.#upsertSession(session);
      this.#histories.set(session.id, { messages: [], hasMore: false, isLoaded: true, isLoadingOlder: false });
      // A session the visitor picked while this one was being created stays in view: the later choice wins.
      if (this.activeSessionId === activeBefore) this.#activate(session.id);
    });
  }

  /** Makes a session active and loads its latest messages. */
  async selectSession(sessionId: string): Promise<void> {
    await this.start();
    if (sessionId === this.activeSessionId) return;
    this.#activate(sessionId);
    await this.#loadLatest(sessionId);
  }

  /** Loads the page of messages before the oldest one shown, when the visitor scrolls up. */
  async loadOlderMessages(): Promise<void> {
    const sessionId = this.activeSessionId;
    const history = sessionId ? this.#histories.get(sessionId) : undefined;
    if (!sessionId || !history?.hasMore || history.isLoadingOlder) return;
    history.isLoadingOlder = true;
    this.#host.requestUpdate();
    await this.#run(async () => {
      const before = history.messages[0]?.id;
      const page = await this.#client!.messages.list(sessionId, { limit: MESSAGE_PAGE, before });
      history.messages = [...page.messages, ...history.messages];
      history.hasMore = page.hasMore;
    });
    history.isLoadingOlder = false;
    this.#host.requestUpdate();
  }

  /** Renames a session. */
  async renameSession(sessionId: string, title: string): Promise<void> {
    const trimmed = title.trim().slice(0, 100);
    if (!trimmed) return;
    await this.#run(async () => this.#upsertSession(await this.#client!.sessions.update(sessionId, { title: trimmed }), false));
  }

  /** Deletes a session; when it was the active one, the next most recent becomes active (or a fresh draft). */
  async deleteSession(sessionId: string): Promise<void> {
    await this.#run(async () => {
      this.#streams.get(sessionId)?.abort();
      // A 404 means it is gone already (e.g. a retried delete whose first answer was lost): that is what was asked.
      await this.#client!.sessions.delete(sessionId).catch((error: unknown) => {
        if ((error as { status?: number }).status !== 404) throw error;
      });
      this.sessions = this.sessions.filter((session) => session.id !== sessionId);
      this.#histories.delete(sessionId);
      if (this.activeSessionId !== sessionId) return;
      const next = this.sessions[0]?.id ?? null;
      this.#activate(next);
      if (next) await this.#loadLatest(next);
    });
  }

  /** Sends a message in the active session (creating one first on a first visit) and streams the reply. */
  async send(content: string): Promise<void> {
    const text = content.trim();
    if (!text) return;
    await this.start();
    await this.#creating;
    if (this.status !== 'ready') return;
    // Two sends at once on a first visit share the one session being created instead of making one each.
    if (!this.activeSessionId) await (this.#creating ?? this.newSession());
    const sessionId = this.activeSessionId;
    if (!sessionId || this.#streams.has(sessionId)) return;
    await this.#stream(sessionId, text, createClientMessageId());
  }

  /**
   * Sends a failed or stopped reply's message again with its `clientMessageId`: the server writes that reply anew
   * under the same id (when it is the session's last), so the new answer streams in its place and nothing is stored twice.
   */
  async retry(assistantMessageId: string): Promise<void> {
    const sessionId = this.activeSessionId;
    const history = sessionId ? this.#histories.get(sessionId) : undefined;
    if (!sessionId || !history || this.#streams.has(sessionId)) return;
    const index = history.messages.findIndex((message) => message.id === assistantMessageId);
    const question = findQuestion(history.messages, index);
    if (!question) return;
    if (!question.clientMessageId) return this.#stream(sessionId, question.content, createClientMessageId());
    this.#replace(history, assistantMessageId, ({ error: _error, ...reply }) => ({ ...reply, content: '', status: 'streaming' }));
    await this.#follow(sessionId, question.content, question.clientMessageId, assistantMessageId);
  }

  /** Asks the server to stop the reply being written in the active session; it ends as `stopped`. */
  async stop(): Promise<void> {
    const sessionId = this.activeSessionId;
    const stream = sessionId ? this.#streams.get(sessionId) : undefined;
    if (!sessionId || !stream) return;
    // If the server takes the stop but the stream never ends, stop listening anyway so the visitor is not stuck.
    // If the stop request itself fails, the reply goes on: keep showing it, so the visitor can see it and stop again.
    const fallback = setTimeout(() => stream.abort(), STOP_GRACE_MS);
    await this.#run(() => this.#client!.sessions.stop(sessionId), () => clearTimeout(fallback));
    if (!this.#streams.has(sessionId)) clearTimeout(fallback);
  }

  /** Chooses the model for the next new session. */
  selectModel(model: string): void {
    this.selectedModel = model;
    this.#host.requestUpdate();
  }

  /** Clears the error banner. */
  dismissFailure(): void {
    this.failure = null;
    this.#host.requestUpdate();
  }

  #pickModel(): string {
    const ids = this.models.map((model) => model.id);
    if (this.#host.model && ids.includes(this.#host.model)) return this.#host.model;
    if (ids.includes(this.selectedModel)) return this.selectedModel;
    return this.models.find((model) => model.default)?.id ?? ids[0] ?? '';
  }

  async #restoreActiveSession(isCurrent: () => boolean): Promise<void> {
    const remembered = this.#store?.read();
    let sessionId = remembered && this.sessions.some((session) => session.id === remembered) ? remembered : null;
    if (remembered && !sessionId) {
      // The remembered session may be older than the first page; a 404 means it is gone or someone else's.
      sessionId = await this.#client!.sessions.retrieve(remembered).then(
        (session) => {
          if (isCurrent()) this.#upsertSession(session, false);
          return remembered;
        },
        () => null,
      );
      if (!isCurrent()) return;
    }
    if (remembered && !sessionId) this.#store?.write(null);
    sessionId ??= this.sessions[0]?.id ?? null;
    this.#activate(sessionId);
    if (sessionId) await this.#loadLatest(sessionId);
  }

  #activate(sessionId: string | null): void {
    if (sessionId === this.activeSessionId) return;
    this.activeSessionId = sessionId;
    this.#store?.write(sessionId);
    this.#host.requestUpdate();
    this.#host.dispatchEvent(new AiSessionChangeEvent(sessionId));
  }

  async #loadLatest(sessionId: string): Promise<void> {
    const cached = this.#histories.get(sessionId);
    if (this.#streams.has(sessionId) && cached) return;
    if (!cached) this.#histories.set(sessionId, { messages: [], hasMore: false, isLoaded: false, isLoadingOlder: false });
    this.#host.requestUpdate();
    await this.#run(async () => {
      const page = await this.#client!.messages.list(sessionId, { limit: MESSAGE_PAGE });
      if (this.#streams.has(sessionId)) return;
      this.#histories.set(sessionId, { messages: page.messages, hasMore: page.hasMore, isLoaded: true, isLoadingOlder: false });
    });
    const history = this.#histories.get(sessionId);
    if (history) history.isLoaded = true;
    this.#host.requestUpdate();
    this.#resumeIfWriting(sessionId);
  }

  /**
   * Follows a reply that was still being written when its session loaded (a reload mid-reply, or another tab): the
   * same content and `clientMessageId` again make the server join the live reply instead of storing anything.
   */
  #resumeIfWriting(sessionId: string): void {
    const messages = this.#histories.get(sessionId)?.messages ?? [];
    const reply = messages.at(-1);
    if (reply?.role !== 'assistant' || reply.status !== 'streaming' || this.#streams.has(sessionId)) return;
    const question = findQuestion(messages, messages.length - 1);
    if (question?.clientMessageId) void this.#follow(sessionId, question.content, question.clientMessageId, reply.id);
  }

  async #stream(sessionId: string, content: string, clientMessageId: string): Promise<void> {
    const history = this.#histories.get(sessionId) ?? { messages: [], hasMore: false, isLoaded: true, isLoadingOlder: false };
    this.#histories.set(sessionId, history);
    const now = new Date().toISOString();
    const base = { sessionId, model: null, createdAt: now, clientMessageId };
    const question: Message = { ...base, id: `local-user-${clientMessageId}`, role: 'user', content, status: 'complete' };
    const placeholder: Message = { ...base, id: `local-reply-${clientMessageId}`, role: 'assistant', content: '', status: 'streaming', model: this.#modelOf(sessionId) };
    history.messages = [...history.messages, question, placeholder];
    await this.#follow(sessionId, content, clientMessageId, placeholder.id);
  }

  /** Streams the reply to a message (sent, retried or resumed) into the message shown as `replyId`. */
  async #follow(sessionId: string, content: string, clientMessageId: string, replyId: string): Promise<void> {
    const stream = this.#client!.chat.stream({ sessionId, content, clientMessageId });
    this.#streams.set(sessionId, stream);
    this.#host.requestUpdate();
    try {
      for await (const event of stream) replyId = this.#apply(sessionId, event, replyId);
    } catch (error) {
      this.#flushDeltas();
      this.#endWithError(sessionId, replyId, error);
    } finally {
      this.#streams.delete(sessionId);
      this.#host.requestUpdate();
    }
  }

  #apply(sessionId: string, event: ChatEvent, replyId: string): string {
    const history = this.#histories.get(sessionId);
    if (!history) return replyId;
    switch (event.type) {
      case 'message-start':
        this.#start(history, event, replyId);
        break;
      case 'text-delta':
        this.#queueDelta(sessionId, event.messageId, event.delta);
        return event.messageId;
      case 'session-update':
        this.#upsertSession(event.session);
        break;
      case 'message-end':
        this.#flushDeltas();
        this.#restarting.delete(event.message.id);
        this.#replace(history, event.message.id, () => event.message);
        this.#host.dispatchEvent(new AiResponseEndEvent(event.message));
        if (event.message.status === 'error') this.#host.dispatchEvent(new AiErrorEvent(event.message.error));
        break;
      case 'error':
        throw Object.assign(new Error(event.error.message), { type: event.error.type });
    }
    this.#host.requestUpdate();
    return event.type === 'message-start' ? event.assistantMessage.id : replyId;
  }

  /** Puts the server's messages where the local ones stand (new ones at the end; a retried or resumed reply in place). */
  #start(history: SessionMessages, event: Extract<ChatEvent, { type: 'message-start' }>, replyId: string): void {
    const { userMessage, assistantMessage } = event;
    const clientMessageId = userMessage.clientMessageId;
    const messages = history.messages.map((message) => {
      if (message.id === userMessage.id || message.id === `local-user-${clientMessageId}`) return { ...userMessage, clientMessageId };
      if (message.id !== assistantMessage.id && message.id !== replyId) return message;
      // A reply joined midway is sent again from its start: keep showing its text until the server's arrives.
      if (!message.content || assistantMessage.content) return assistantMessage;
      this.#restarting.add(assistantMessage.id);
      return { ...assistantMessage, content: message.content };
    });
    history.messages = messages.filter((message, index) => messages.findIndex((other) => other.id === message.id) === index);
  }

  #queueDelta(sessionId: string, messageId: string, delta: string): void {
    const pending = this.#pendingDeltas.get(messageId);
    const isRestart = pending ? pending.isRestart : this.#restarting.delete(messageId);
    this.#pendingDeltas.set(messageId, { sessionId, text: (pending?.text ?? '') + delta, isRestart });
    // Many tokens arrive per frame: paint them together instead of re-rendering per token.
    this.#frame ||= requestAnimationFrame(() => this.#flushDeltas());
  }

  #flushDeltas(): void {
    if (this.#frame) cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    for (const [messageId, { sessionId, text, isRestart }] of this.#pendingDeltas) {
      const history = this.#histories.get(sessionId);
      if (history) this.#replace(history, messageId, (message) => ({ ...message, content: isRestart ? text : message.content + text }));
    }
    this.#pendingDeltas.clear();
    this.#host.requestUpdate();
  }

  #endWithError(sessionId: string, replyId: string, error: unknown): void {
    const history = this.#histories.get(sessionId);
    const aborted = error instanceof Error && (error.name === 'APIUserAbortError' || error.name === 'AbortError');
    const type = (error as { type?: string } | null)?.type ?? 'connection_error';
    const message = error instanceof Error ? error.message : String(error);
    if (history) {
      this.#replace(history, replyId, (reply) =>
        reply.status === 'streaming' ? { ...reply, status: aborted ? 'stopped' : 'error', ...(aborted ? {} : { error: { type, message } }) } : reply,
      );
    }
    if (!aborted) this.#host.dispatchEvent(new AiErrorEvent(error));
  }

  #replace(history: SessionMessages, messageId: string, change: (message: Message) => Message): void {
    history.messages = history.messages.map((message) => (message.id === messageId ? change(message) : message));
  }

  #upsertSession(session: SessionSummary, moveToTop = true): void {
    const others = this.sessions.filter((existing) => existing.id !== session.id);
    const index = this.sessions.findIndex((existing) => existing.id === session.id);
    if (moveToTop || index < 0) this.sessions = [session, ...others];
    else this.sessions = this.sessions.map((existing) => (existing.id === session.id ? session : existing));
    this.#host.requestUpdate();
  }

  #modelOf(sessionId: string): string | null {
    return this.sessions.find((session) => session.id === sessionId)?.model ?? null;
  }

  /** Runs an action; a failure becomes the banner and an `ai-error` event instead of an exception in the page. */
  async #run(action: () => Promise<unknown>, onError?: () => void): Promise<void> {
    try {
      await action();
      if (this.failure && this.status === 'ready') this.failure = null;
    } catch (error) {
      onError?.();
      this.failure = { error, retry: this.status === 'error' ? () => void this.start() : undefined };
      this.#host.dispatchEvent(new AiErrorEvent(error));
    } finally {
      this.#host.requestUpdate();
    }
  }
}

/** The visitor's message that the reply at `index` answers: the nearest user message before it. */
function findQuestion(messages: Message[], index: number): Message | undefined {
  for (let position = index - 1; position >= 0; position -= 1) {
    if (messages[position]?.role === 'user') return messages[position];
  }
  return undefined;
}
