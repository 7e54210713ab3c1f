import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DraftStore } from './draft-store.js';

/** localStorage as browsers have it, for Node. */
class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, String(value));
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

let storage: MemoryStorage;

beforeEach(() => {
  storage = new MemoryStorage();
  Object.defineProperty(globalThis, 'localStorage', { value: storage, configurable: true });
});

afterEach(() => {
  Reflect.deleteProperty(globalThis, 'localStorage');
});

describe('DraftStore', () => {
  it('keeps a draft per session and for the conversation not stored yet, across instances (a reload)', () => {
    const store = new DraftStore('https://chat.example', 'token-of-ann');
    store.write('s1', 'Half a question about tides');
    store.write(null, 'A new conversation’s first words');
    const reloaded = new DraftStore('https://chat.example', 'token-of-ann');
    expect(reloaded.read('s1')).toBe('Half a question about tides');
    expect(reloaded.read(null)).toBe('A new conversation’s first words');
    expect(reloaded.read('s2')).toBe('');
  });

  it('keeps drafts apart per visitor and per server, and never writes the token', () => {
    new DraftStore('https://chat.example', 'token-of-ann').write('s1', 'Ann’s words');
    expect(new DraftStore('https://chat.example', 'token-of-bob').read('s1')).toBe('');
    expect(new DraftStore('https://other.example', 'token-of-ann').read('s1')).toBe('');
    expect([...storage.items.keys()].join()).not.toContain('token-of-ann');
  });

  it('forgets a blank draft', () => {
    const store = new DraftStore('https://chat.example', 'token-of-ann');
    store.write('s1', 'Something');
    store.write('s1', '   ');
    expect(store.read('s1')).toBe('');
    expect(storage.items.size).toBe(0);
  });

  it('works without storage, or with storage that refuses writes', () => {
    Object.defineProperty(globalThis, 'localStorage', {
      configurable: true,
      value: { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('quota'); }, removeItem: () => { throw new Error('denied'); } },
    });
    const store = new DraftStore('https://chat.example', 'token-of-ann');
    expect(() => store.write('s1', 'text')).not.toThrow();
    expect(store.read('s1')).toBe('');
    Reflect.deleteProperty(globalThis, 'localStorage');
    expect(new DraftStore('https://chat.example', 'token-of-ann').read('s1')).toBe('');
  });
});
