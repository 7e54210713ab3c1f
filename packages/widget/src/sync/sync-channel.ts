import type { SessionSummary } from '@ai-chat/protocol';
import { storageScope } from '../storage-scope.js';

/**
 * What one view of a visitor tells the others (other `<ai-chat>` elements of the page, other tabs of the browser).
 * Only summaries and ids travel: a view that hears of a change it shows fetches it from the server with its own
 * client, so what it shows always comes from the server.
 */
export type SyncMessage =
  /** A session was created, renamed, moved to another model, or its counters and preview changed. */
  | { type: 'session'; session: SessionSummary }
  /** A session was deleted. */
  | { type: 'session-deleted'; sessionId: string }
  /** A session's messages changed: a message was sent, a reply started or ended. */
  | { type: 'messages'; sessionId: string };

/** The name of the channel that the views of one visitor of one server share. */
export function syncChannelName(server: string, token: string): string {
  return `ai-chat:sync:${storageScope(server, token)}`;
}

/**
 * A BroadcastChannel scoped to one server and one visitor, so one visitor's sessions never reach another's views.
 * Messages posted here reach every other `SyncChannel` of the same scope in this browser (same origin), never the
 * one that posted. Where BroadcastChannel is missing, posting and listening do nothing (each view then refreshes
 * when its page becomes visible again or its dropdown opens).
 */
export class SyncChannel {
  readonly name: string;
  readonly #onMessage: (message: SyncMessage) => void;
  #channel: BroadcastChannel | null = null;

  /** `token` is the bearer token in use (only a digest of it goes into the channel's name). */
  constructor(server: string, token: string, onMessage: (message: SyncMessage) => void) {
    this.name = syncChannelName(server, token);
    this.#onMessage = onMessage;
    this.open();
  }

  /** Listens (again, after `close()`: an element moved in the page reconnects). */
  open(): void {
    if (this.#channel || typeof BroadcastChannel !== 'function') return;
    this.#channel = new BroadcastChannel(this.name);
    this.#channel.addEventListener('message', (event: MessageEvent) => {
      if (isSyncMessage(event.data)) this.#onMessage(event.data);
    });
  }

  /** Tells the visitor's other views about a change. */
  post(message: SyncMessage): void {
    try {
      this.#channel?.postMessage(message);
    } catch {
      // A value the browser cannot clone: the other views catch up on their next refresh.
    }
  }

  /** Stops listening; call it when the view is pointed at another server or visitor, or leaves the page. */
  close(): void {
    this.#channel?.close();
    this.#channel = null;
  }
}

function isSyncMessage(data: unknown): data is SyncMessage {
  if (!data || typeof data !== 'object') return false;
  const message = data as Partial<Record<string, unknown>>;
  if (message.type === 'session') return !!message.session && typeof (message.session as { id?: unknown }).id === 'string';
  return (message.type === 'session-deleted' || message.type === 'messages') && typeof message.sessionId === 'string';
}
