import { storageScope } from '../storage-scope.js';

/** The session key of a conversation that is not stored yet (a fresh "New chat"). */
const NEW_CONVERSATION = 'new';

/**
 * Keeps what a visitor typed but has not sent, per server, per visitor and per session, in localStorage: a reload,
 * a crash or a closed tab never loses it. Another visitor of the browser (another token) never sees it. Survives
 * storage being unavailable (the draft then lasts as long as the page).
 */
export class DraftStore {
  readonly #prefix: string;

  /** `token` is the bearer token in use; only a short digest of it goes into the storage keys. */
  constructor(server: string, token: string) {
    this.#prefix = `ai-chat:draft:${storageScope(server, token)}:`;
  }

  /** The unsent text of a session (`null`: the conversation not stored yet), or an empty string. */
  read(sessionId: string | null): string {
    try {
      return globalThis.localStorage?.getItem(this.#key(sessionId)) ?? '';
    } catch {
      return '';
    }
  }

  /** Keeps (or, when blank, forgets) the unsent text of a session. */
  write(sessionId: string | null, text: string): void {
    try {
      if (text.trim()) globalThis.localStorage?.setItem(this.#key(sessionId), text);
      else globalThis.localStorage?.removeItem(this.#key(sessionId));
    } catch {
      // Private modes, sandboxed frames and full storage refuse writes: the draft then lasts as long as the page.
    }
  }

  #key(sessionId: string | null): string {
    return this.#prefix + (sessionId ?? NEW_CONVERSATION);
  }
}
