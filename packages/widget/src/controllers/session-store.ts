import { storageScope } from '../storage-scope.js';

/** What `SessionStore` remembers for a conversation that is not stored yet (the visitor pressed New). */
export const NEW_CONVERSATION = 'new';

/**
 * Remembers the active session per server and per user in localStorage (the next person to use the browser, or the
 * same person signed in, does not inherit it), and survives storage being unavailable.
 */
export class SessionStore {
  readonly #key: string;

  /** `token` is the bearer token in use; only a short digest of it goes into the storage key. */
  constructor(server: string, token: string) {
    this.#key = `ai-chat:active-session:${storageScope(server, token)}`;
  }

  /**
   * The session that was active on the last visit, if any; `NEW_CONVERSATION` when the visitor was in a conversation
   * not stored yet (after New).
   */
  read(): string | null {
    try {
      return globalThis.localStorage?.getItem(this.#key) ?? null;
    } catch {
      return null;
    }
  }

  /** Stores (or forgets, with null) the active session. */
  write(sessionId: string | null): void {
    try {
      if (sessionId) globalThis.localStorage?.setItem(this.#key, sessionId);
      else globalThis.localStorage?.removeItem(this.#key);
    } catch {
      // Private modes and sandboxed frames may refuse storage: the session then lasts as long as the page.
    }
  }
}

/** A unique id for a sent message, so a resend is recognised by the server and never stored twice. */
export function createClientMessageId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID exists only in secure contexts; a plain-http host page still gets 128 random bits.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
