import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const widget = fileURLToPath(new URL('..', import.meta.url));

/** The budget of the script-tag bundle, gzipped at level 9 (issue 6); `npm run bench -- widget-size` prints it too. */
const BUDGET_GZIP_BYTES = 45 * 1024;

async function readBundle(): Promise<string> {
  return readFile(`${widget}dist/ai-chat.js`, 'utf8').catch(() => {
    throw new Error('packages/widget/dist/ai-chat.js is missing: run `npm run build` first');
  });
}

describe('@ai-chat/widget builds', () => {
  it('the script-tag bundle is one file with the SDK and marked inside, and no zod', async () => {
    const bundle = await readBundle();
    expect(bundle).not.toMatch(/\bimport\s*\(|^import\s|\bfrom\s*["']/m);
    expect(bundle).not.toMatch(/ZodError|zod/);
    expect(bundle).toContain('customElements');
    expect(bundle).toContain('/api/chat');
  });

  it('stays within 45 KB gzipped, with no HTML sanitiser and no unsafeHTML (nothing is parsed as HTML)', async () => {
    const bundle = await readBundle();
    const gzipped = gzipSync(bundle, { level: 9 }).length;
    expect(gzipped, `ai-chat.js is ${(gzipped / 1024).toFixed(1)} KB gzipped`).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
    expect(bundle).not.toMatch(/dompurify|data-tt-policy-suffix/i);
    expect(bundle).not.toContain('unsafeHTML');
    // marked's HTML renderer is cut from the bundle: only its lexer is used.
    expect(bundle).not.toContain('An error occurred');
  });

  it('custom-elements.json matches the element’s JSDoc', async () => {
    await expect(promisify(execFile)(process.execPath, [`${widget}scripts/build-manifest.mjs`, '--check'])).resolves.toBeDefined();
  });
});
