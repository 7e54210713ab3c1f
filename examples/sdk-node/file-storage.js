// @ts-check
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A `ChatStorage` kept in a JSON file, so the terminal stays the same visitor (and finds its sessions) from one run
 * to the next, as `localStorage` does in a browser. The file holds a bearer token: it is made readable by its owner
 * only.
 * @param {string} path
 * @returns {import('@ai-chat/sdk').ChatStorage}
 */
export function createFileStorage(path) {
  /** @returns {Record<string, string>} */
  const read = () => {
    try {
      return JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      return {};
    }
  };
  /** @param {Record<string, string>} items */
  const write = (items) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(items, null, 2)}\n`, { mode: 0o600 });
    chmodSync(path, 0o600);
  };
  return {
    getItem: (key) => read()[key] ?? null,
    setItem: (key, value) => write({ ...read(), [key]: value }),
    removeItem: (key) => {
      const { [key]: _removed, ...rest } = read();
      write(rest);
    },
  };
}
