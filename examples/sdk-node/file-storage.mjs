// A `ChatStorage` kept in a JSON file, so the visitor (and its history) survives between runs of the script.
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Reads the file once and writes it on every change; the SDK only stores the visitor token, so it stays tiny.
 * @param {string} path
 * @returns {import('@ai-chat/sdk').ChatStorage}
 */
export function createFileStorage(path) {
  /** @type {Record<string, string>} */
  let items = {};
  try {
    items = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    // no file yet: a first run
  }
  const save = () => writeFileSync(path, JSON.stringify(items, null, 2), { mode: 0o600 });
  return {
    getItem: (key) => items[key] ?? null,
    setItem: (key, value) => {
      items[key] = value;
      save();
    },
    removeItem: (key) => {
      delete items[key];
      save();
    },
  };
}
