/** Remembers the active session per server in localStorage, and survives storage being unavailable. */
export class SessionStore {
  readonly #key: string;

  constructor(server: string) {
    this.#key = `ai-chat:active-session:${server}`;
  }

  /** The session that was active on the last visit, if any. */
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
