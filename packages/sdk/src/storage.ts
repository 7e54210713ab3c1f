/**
 * Where the client keeps the visitor's token between page loads: the subset of the Web Storage API it uses, so
 * `localStorage`, `sessionStorage` or any object of your own (a cookie wrapper, a file in Node) fits.
 */
export interface ChatStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * A storage that lives as long as the object: the default in Node, and in browsers where `localStorage` is
 * blocked (sandboxed iframes, some privacy modes). Pass one to several clients to share a visitor between them.
 * @example
 * const storage = createMemoryStorage();
 * const client = new ChatClient({ baseUrl: 'http://localhost:3000', storage });
 */
export function createMemoryStorage(): ChatStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

/** `localStorage` when the page may use it, else a memory storage (Node, or a browser that blocks it). */
export function createDefaultStorage(): ChatStorage {
  try {
    // Reading `localStorage` throws a SecurityError in sandboxed iframes, and a write can throw when it is full or
    // disabled, so probe with a real write before trusting it.
    const storage = (globalThis as { localStorage?: ChatStorage }).localStorage;
    if (storage) {
      const probe = 'ai-chat:probe';
      storage.setItem(probe, probe);
      storage.removeItem(probe);
      return storage;
    }
  } catch {
    // fall through to memory
  }
  return createMemoryStorage();
}
