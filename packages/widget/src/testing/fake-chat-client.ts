import type { ChatEvent, Message, Model, Session, SessionSummary } from '@ai-chat/protocol';
import type { ChatClientLike, ChatStreamLike } from '../chat-client-like.js';

/** Options the fake's methods take, as the SDK's `RequestOptions` do. */
interface Options {
  signal?: AbortSignal;
}

/** One call the fake answered, with the signal it was given. */
export interface FakeCall {
  method: string;
  args: unknown[];
  signal: AbortSignal | undefined;
}

/** A promise the test settles: a held answer goes out when the test calls `release()`. */
class Gate {
  release!: () => void;
  readonly opened = new Promise<void>((resolve) => (this.release = resolve));
}

/** A reply stream the test writes: `push` events, then `end()` or `fail(error)`. `abort()` ends it as the SDK does. */
export class FakeStream implements ChatStreamLike {
  readonly events: ChatEvent[] = [];
  isAborted = false;
  /** The element read the stream to its end (or its error). */
  isDrained = false;
  #ended = false;
  #error: unknown = null;
  #wake: (() => void) | null = null;

  /** `regenerate` and `editOf` ask for a new version (of the last reply, of a user message); `model` writes the reply. */
  constructor(
    readonly params: { sessionId: string; content: string; clientMessageId?: string | undefined; regenerate?: true; editOf?: string | undefined; model?: string | undefined; signal?: AbortSignal | undefined },
    private readonly endsOnAbort: boolean,
  ) {}

  push(...events: ChatEvent[]): void {
    this.events.push(...events);
    this.#wake?.();
  }

  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  fail(error: unknown): void {
    this.#error = error;
    this.end();
  }

  abort(): void {
    this.isAborted = true;
    if (this.endsOnAbort) this.fail(Object.assign(new Error('Request was aborted.'), { name: 'APIUserAbortError' }));
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ChatEvent> {
    for (let index = 0; ; ) {
      if (index < this.events.length) yield this.events[index++]!;
      else if (this.#ended) break;
      else await new Promise<void>((resolve) => (this.#wake = resolve));
    }
    this.isDrained = true;
    if (this.#error) throw this.#error;
  }
}

const time = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

/** A session summary for the fake's store. */
export function fakeSession(id: string, fields: Partial<SessionSummary> = {}): SessionSummary {
  return { id, title: `Title ${id}`, model: 'demo', messageCount: 0, lastMessage: null, createdAt: time(0), updatedAt: time(0), ...fields };
}

/** A stored message for the fake's store. */
export function fakeMessage(sessionId: string, id: string, role: 'user' | 'assistant', fields: Partial<Message> = {}): Message {
  return { id, sessionId, role, content: `${role} ${id}`, model: role === 'assistant' ? 'demo' : null, status: 'complete', createdAt: time(1), ...fields };
}

/**
 * An in-memory stand-in for the SDK's `ChatClient` (the `ChatClientLike` part the element uses). Answers come from
 * its arrays; `hold(method)` keeps the next answer of a method back until the test releases it, and by default the
 * fake ignores abort signals (as a host's own client may), so the controllers must drop late answers themselves.
 */
export class FakeChatClient {
  readonly calls: FakeCall[] = [];
  readonly streams: FakeStream[] = [];
  models: Model[] = [{ id: 'demo', label: 'Demo', provider: 'demo', default: true }, { id: 'other', label: 'Other', provider: 'demo', default: false }];
  sessions: SessionSummary[] = [];
  readonly messages = new Map<string, Message[]>();
  /** What `messages.show(id)` answers: the version `id` with the rest of its branch (oldest first). */
  readonly branches = new Map<string, Message[]>();
  token = 'token-1';
  pageSize = 2;
  streamsEndOnAbort = true;
  readonly #holds = new Map<string, Gate[]>();
  readonly #failures = new Map<string, unknown>();
  #created = 0;

  constructor(fields: Partial<Pick<FakeChatClient, 'sessions' | 'token'>> = {}) {
    Object.assign(this, fields);
  }

  /** Holds back the next answer of `method` (e.g. `sessions.list`) until `release()` is called. */
  hold(method: string): Gate {
    const gate = new Gate();
    this.#holds.set(method, [...(this.#holds.get(method) ?? []), gate]);
    return gate;
  }

  /** Makes the next call of `method` (e.g. `messages.feedback`) fail with `error`, as a refusing server would. */
  failNext(method: string, error: unknown): void {
    this.#failures.set(method, error);
  }

  /** The calls of one method. */
  callsOf(method: string): FakeCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  async #answer<T>(method: string, args: unknown[], options: Options | undefined, compute: () => T): Promise<T> {
    this.calls.push({ method, args, signal: options?.signal });
    const gate = this.#holds.get(method)?.shift();
    if (gate) await gate.opened;
    const failure = this.#failures.get(method);
    if (this.#failures.delete(method)) throw failure;
    return compute();
  }

  /** The fake as the type the element takes. */
  asClient(): ChatClientLike {
    const notFound = () => Object.assign(new Error('Not found'), { status: 404, type: 'not_found' });
    const find = (id: string) => this.sessions.find((session) => session.id === id);
    const client = {
      users: { ensure: (options?: Options) => this.#answer('users.ensure', [], options, () => this.token) },
      models: { list: (options?: Options) => this.#answer('models.list', [], options, () => ({ models: this.models })) },
      sessions: {
        list: (query: { limit?: number; cursor?: string } = {}, options?: Options) =>
          this.#answer('sessions.list', [query], options, () => {
            const start = query.cursor ? Number(query.cursor) : 0;
            const end = start + Math.min(query.limit ?? this.pageSize, this.pageSize);
            return { sessions: this.sessions.slice(start, end), nextCursor: end < this.sessions.length ? String(end) : null };
          }),
        retrieve: (id: string, options?: Options) =>
          this.#answer('sessions.retrieve', [id], options, () => {
            const session = find(id);
            if (!session) throw notFound();
            return session as Session;
          }),
        create: (body: { model?: string } = {}, options?: Options) =>
          this.#answer('sessions.create', [body], options, () => {
            const session = fakeSession(`new-${++this.#created}`, { title: '', model: body.model ?? 'demo' });
            this.sessions = [session, ...this.sessions];
            return session as Session;
          }),
        update: (id: string, body: { title?: string }, options?: Options) =>
          this.#answer('sessions.update', [id, body], options, () => {
            const session = { ...(find(id) ?? fakeSession(id)), ...body };
            this.sessions = this.sessions.map((existing) => (existing.id === id ? session : existing));
            return session as Session;
          }),
        delete: (id: string, options?: Options) =>
          this.#answer('sessions.delete', [id], options, () => {
            if (!find(id)) throw notFound();
            this.sessions = this.sessions.filter((session) => session.id !== id);
          }),
        stop: (id: string, options?: Options) => this.#answer('sessions.stop', [id], options, () => undefined),
      },
      messages: {
        list: (sessionId: string, query: { limit?: number; before?: string } = {}, options?: Options) =>
          this.#answer('messages.list', [sessionId, query], options, () => {
            const all = this.messages.get(sessionId) ?? [];
            const end = query.before ? all.findIndex((message) => message.id === query.before) : all.length;
            const start = Math.max(0, end - Math.min(query.limit ?? this.pageSize, this.pageSize));
            return { messages: all.slice(start, end), hasMore: start > 0 };
          }),
        show: (id: string, options?: Options) =>
          this.#answer('messages.show', [id], options, () => {
            const branch = this.branches.get(id);
            if (!branch) throw notFound();
            return branch;
          }),
        feedback: (id: string, body: { rating: 'up' | 'down' | null; reason?: string }, options?: Options) =>
          this.#answer('messages.feedback', [id, body], options, () => {
            const sessionId = [...this.messages].find(([, messages]) => messages.some((message) => message.id === id))?.[0];
            if (!sessionId) throw notFound();
            const { rating, reason } = body;
            const feedback = rating ? { rating, ...(reason ? { reason } : {}), updatedAt: time(2) } : undefined;
            const rated = (message: Message): Message => {
              if (message.id !== id) return message;
              const { feedback: _previous, ...rest } = message;
              return feedback ? { ...rest, feedback } : rest;
            };
            this.messages.set(sessionId, this.messages.get(sessionId)!.map(rated));
            return this.messages.get(sessionId)!.find((message) => message.id === id)!;
          }),
      },
      chat: {
        stream: (params: FakeStream['params']) => {
          this.calls.push({ method: 'chat.stream', args: [params], signal: params.signal });
          const stream = new FakeStream(params, this.streamsEndOnAbort);
          this.streams.push(stream);
          return stream;
        },
      },
    };
    return client as unknown as ChatClientLike;
  }
}
