import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatClientLike } from '../chat-client-like.js';
import { DraftStore } from '../drafts/draft-store.js';
import { AiErrorEvent, AiReadyEvent } from '../events.js';
import { readLimits, type ChatLimits } from '../limits.js';
import { SyncChannel, type SyncMessage } from '../sync/sync-channel.js';
import { SessionStore } from './session-store.js';

/** What the controllers need from the element they serve. */
export interface ChatHost extends ReactiveControllerHost, HTMLElement {
  /** The API base URL the element talks to (already defaulted to the page's origin). */
  readonly serverUrl: string;
  /** The default model for new sessions, when the host page chose one. */
  readonly model?: string | undefined;
}

/**
 * Everything that belongs to one server and one visitor: the client, where the active session is remembered, and
 * the signal that is aborted as soon as the element is pointed at another server or user. Every load passes the
 * signal to the SDK and checks it after each await, so nothing from a previous server or visitor can land.
 */
export interface Scope {
  readonly client: ChatClientLike;
  readonly store: SessionStore;
  readonly signal: AbortSignal;
  /** The server's limits (`GET /api/config`, or this version's defaults when it cannot say). */
  readonly limits: ChatLimits;
  /** The visitor's unsent text, per session. */
  readonly drafts: DraftStore;
  /** The channel to the visitor's other views of this server (other elements of the page, other tabs). */
  readonly sync: SyncChannel;
}

/** An error the element shows in its banner, with the action that gets past it. */
export interface ChatFailure {
  error: unknown;
  retry?: (() => void) | undefined;
}

/** What the connection runs once the visitor is known (the sessions and the conversation load here). */
export type LoadScope = (scope: Scope) => Promise<void>;

/** What the connection calls when another view says something changed, or when what is shown may be stale. */
export interface ScopeListeners {
  /** Another view of the same visitor and server changed something. */
  sync(message: SyncMessage, scope: Scope): void;
  /** The page became visible again: refetch what may have changed elsewhere. */
  refresh(scope: Scope): void;
}

/**
 * The identity and connection: makes the client for the element's server and user, ensures the visitor, and owns
 * the `AbortController` of the current server+user. Also holds the one error banner (`failure`) every load reports to.
 */
export class ConnectionController implements ReactiveController {
  /** `ready` once the visitor, models, sessions and the active session's messages are loaded. */
  status: 'idle' | 'loading' | 'ready' | 'error' = 'idle';
  /** The error banner, or null. */
  failure: ChatFailure | null = null;
  /** The current server+user, once the visitor is known. */
  scope: Scope | null = null;

  readonly #host: ChatHost;
  readonly #createClient: () => ChatClientLike;
  readonly #loadScope: LoadScope;
  readonly #listeners: ScopeListeners;
  readonly #handleVisibility = () => {
    const scope = this.scope;
    if (globalThis.document?.visibilityState === 'visible' && scope && !scope.signal.aborted && this.status === 'ready') this.#listeners.refresh(scope);
  };
  #abort = new AbortController();
  #client: ChatClientLike | null = null;
  #starting: Promise<void> | null = null;

  constructor(host: ChatHost, createClient: () => ChatClientLike, loadScope: LoadScope, listeners: ScopeListeners) {
    this.#host = host;
    this.#createClient = createClient;
    this.#loadScope = loadScope;
    this.#listeners = listeners;
    host.addController(this);
  }

  /** Aborted when the server or user changes (see `reset`). */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  hostDisconnected(): void {
    globalThis.document?.removeEventListener('visibilitychange', this.#handleVisibility);
    this.scope?.sync.close();
  }

  hostConnected(): void {
    globalThis.document?.addEventListener('visibilitychange', this.#handleVisibility);
    // Moved in the page: listen to the visitor's other views again, and catch up with what they did meanwhile.
    if (this.scope && !this.scope.signal.aborted) {
      this.scope.sync.open();
      if (this.status === 'ready') this.#listeners.refresh(this.scope);
    }
    // Start a microtask later, so a `server` or `client` set right after the element entered the page (as
    // @lit/react and `append(element); element.server = url` do, in the same task) is the one used.
    queueMicrotask(() => {
      if (this.status === 'idle' && this.#host.isConnected) void this.start();
    });
  }

  /** Creates the visitor if needed, then runs the loads of the new scope; the same promise until it settles. */
  start(): Promise<void> {
    if (this.#starting) return this.#starting;
    const signal = this.signal;
    this.#starting = this.run(signal, () => this.#connect(signal), () => {
      this.status = 'error';
      this.#starting = null;
    });
    return this.#starting;
  }

  async #connect(signal: AbortSignal): Promise<void> {
    this.status = 'loading';
    this.#host.requestUpdate();
    const client = (this.#client ??= this.#createClient());
    // The limits need no visitor: asked at the same time. A server (or host client) that cannot say gets the defaults.
    const [token, config] = await Promise.all([client.users.ensure({ signal }), client.config?.retrieve({ signal }).catch(() => null)]);
    signal.throwIfAborted();
    const server = this.#host.serverUrl;
    const sync = new SyncChannel(server, token, (message) => {
      if (!signal.aborted && this.scope === scope) this.#listeners.sync(message, scope);
    });
    const scope: Scope = { client, store: new SessionStore(server, token), signal, limits: readLimits(config), drafts: new DraftStore(server, token), sync };
    this.scope = scope;
    await this.#loadScope(scope);
    signal.throwIfAborted();
    this.status = 'ready';
    this.#host.dispatchEvent(new AiReadyEvent());
  }

  /** Aborts every load and stream of the current server+user and starts over (another server, user or client). */
  reset(): void {
    this.scope?.sync.close();
    this.#abort.abort();
    this.#abort = new AbortController();
    Object.assign(this, { status: 'idle', failure: null, scope: null });
    this.#client = null;
    this.#starting = null;
    this.#host.requestUpdate();
    if (this.#host.isConnected) void this.start();
  }

  /** Waits for the start, then gives the current scope (null when it failed or was replaced meanwhile). */
  async ready(): Promise<Scope | null> {
    await this.start();
    const scope = this.scope;
    return scope && !scope.signal.aborted ? scope : null;
  }

  /**
   * Runs an action of the scope whose `signal` is given; a failure becomes the banner and an `ai-error` event instead
   * of an exception in the page. Once that scope is aborted, its answers and failures are dropped.
   */
  async run(signal: AbortSignal, action: () => Promise<unknown>, onError?: () => void): Promise<void> {
    try {
      await action();
      if (!signal.aborted && this.failure && this.status === 'ready') this.failure = null;
    } catch (error) {
      if (signal.aborted) return;
      onError?.();
      this.failure = { error, retry: this.status === 'error' ? () => void this.start() : undefined };
      this.#host.dispatchEvent(new AiErrorEvent(error));
    } finally {
      if (!signal.aborted) this.#host.requestUpdate();
    }
  }

  /** Shows a failure of the scope whose `signal` is given in the banner, and fires `ai-error` with it. */
  report(signal: AbortSignal, error: unknown): void {
    if (signal.aborted) return;
    this.failure = { error };
    this.#host.dispatchEvent(new AiErrorEvent(error));
    this.#host.requestUpdate();
  }

  /** Clears the error banner. */
  dismissFailure(): void {
    this.failure = null;
    this.#host.requestUpdate();
  }
}
