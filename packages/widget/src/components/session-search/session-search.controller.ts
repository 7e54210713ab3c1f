import type { ReactiveController } from 'lit';
import type { ChatClientAdditions, SearchResult } from '../../chat-client-like.js';
import type { ConnectionController } from '../../controllers/connection.controller.js';
import type { ConversationController } from '../../controllers/conversation.controller.js';
import type { ComponentHost } from '../component-host.js';

const DEBOUNCE_MS = 250;
// How far back a result's message is looked for: pages of older messages (of 50) loaded before giving up.
const MAX_PAGES_TO_MATCH = 20;

/**
 * The search field of the sessions dropdown: asks the server (`GET /api/sessions?q=`) once typing pauses, keeps only
 * the answer to the latest query, and opens a result's session scrolled to the message that matched.
 */
export class SessionSearchController implements ReactiveController {
  query = '';
  results: SearchResult[] | null = null;

  readonly #host: ComponentHost;
  readonly #connection: ConnectionController;
  readonly #conversation: ConversationController;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #abort: AbortController | null = null;

  constructor(host: ComponentHost, connection: ConnectionController, conversation: ConversationController) {
    this.#host = host;
    this.#connection = connection;
    this.#conversation = conversation;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.clear();
  }

  /** Forgets the query and its results (the dropdown closed). */
  clear(): void {
    clearTimeout(this.#timer);
    this.#abort?.abort();
    this.query = '';
    this.results = null;
  }

  readonly handleInput = (event: Event) => {
    this.query = (event.currentTarget as HTMLInputElement).value;
    clearTimeout(this.#timer);
    this.#abort?.abort();
    if (!this.query.trim()) {
      this.results = null;
      this.#host.requestUpdate();
      return;
    }
    this.#timer = setTimeout(() => void this.#search(this.query.trim()), DEBOUNCE_MS);
  };

  /**
   * Opens the session of a result and scrolls to the message that matched, loading older pages first when the match
   * is further back than the latest messages (up to 1,000 messages back; the session opens at its end beyond that).
   */
  async open(result: SearchResult): Promise<void> {
    await this.#conversation.select(result.id);
    const messageId = result.match?.messageId;
    if (messageId) await this.#loadUntil(messageId);
    await this.#host.updateComplete;
    const target = messageId ? this.#host.renderRoot.querySelector<HTMLElement>(`[data-id="${CSS.escape(messageId)}"]`) : null;
    target?.scrollIntoView({ block: 'center' });
    target?.classList.add('found');
  }

  /** Loads older pages of the open session until `messageId` is among them, the start is reached or another opens. */
  async #loadUntil(messageId: string): Promise<void> {
    const opened = this.#conversation.history;
    for (let pages = 0; pages < MAX_PAGES_TO_MATCH; pages += 1) {
      const history = this.#conversation.history;
      if (history !== opened || !history.hasMore || history.messages.some((message) => message.id === messageId)) return;
      const count = history.messages.length;
      await this.#conversation.loadOlder();
      // Nothing came: the page failed (the banner says so) or a load that scrolling started is still on its way.
      if (history.messages.length === count) return;
    }
  }

  async #search(q: string): Promise<void> {
    const scope = this.#connection.scope;
    if (!scope) return;
    const abort = new AbortController();
    this.#abort = abort;
    const signal = AbortSignal.any([abort.signal, scope.signal]);
    const sessions = scope.client.sessions as unknown as ChatClientAdditions['sessions'];
    await this.#connection.run(signal, async () => {
      const page = await sessions.list({ q, limit: 20 }, { signal });
      if (signal.aborted) return;
      this.results = page.sessions;
    });
    if (!signal.aborted) this.#host.requestUpdate();
  }
}
