import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const widget = fileURLToPath(new URL('..', import.meta.url));

describe('@ai-chat/widget builds', () => {
  it('the script-tag bundle is one file with the SDK, marked and DOMPurify inside and no zod', async () => {
    const bundle = await readFile(`${widget}dist/ai-chat.js`, 'utf8').catch(() => {
      throw new Error('packages/widget/dist/ai-chat.js is missing: run `npm run build` first');
    });
    expect(bundle).not.toMatch(/\bimport\s*\(|^import\s|\bfrom\s*["']/m);
    expect(bundle).not.toMatch(/ZodError|zod/);
    expect(bundle).toContain('customElements');
    expect(bundle).toContain('/api/chat');
  });

  it('custom-elements.json matches the element’s JSDoc', async () => {
    await expect(promisify(execFile)(process.execPath, [`${widget}scripts/build-manifest.mjs`, '--check'])).resolves.toBeDefined();
  });
});
