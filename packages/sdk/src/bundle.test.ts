import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const bundlePath = fileURLToPath(new URL('../dist/browser/ai-chat-sdk.js', import.meta.url));

describe('the browser bundle (dist/browser/ai-chat-sdk.js, built by npm run build)', () => {
  // A missing bundle fails the run (npm test builds first): a check skipped when nothing is built would pass a
  // broken build.
  const source = existsSync(bundlePath) ? readFileSync(bundlePath, 'utf8') : '';
  if (!source) it('exists', () => expect.fail(`${bundlePath} is missing: run \`npm run build\` (npm test builds first)`));

  it('leaves zod out: the main entry imports the protocol for types only', () => {
    expect(source).not.toMatch(/zod/i);
    expect(source).not.toContain('ZodError');
    expect(source).not.toContain('safeParse');
  });

  it('is self-contained and free of Node-only modules', () => {
    expect(source).not.toMatch(/\bfrom\s*["']/);
    expect(source).not.toMatch(/\bimport\s*\(/);
    expect(source).not.toMatch(/["']node:/);
    expect(source).not.toMatch(/\bprocess\.env\b|\brequire\(/);
  });

  it('exports the client, the stream and the error classes', async () => {
    const exported = await import(/* @vite-ignore */ bundlePath);
    for (const name of ['ChatClient', 'ChatStream', 'APIError', 'RateLimitError', 'APIUserAbortError', 'createMemoryStorage']) {
      expect(exported, name).toHaveProperty(name);
    }
  });

  it('stays small', () => {
    const bytes = Buffer.byteLength(source);
    const gzipped = gzipSync(source).length;
    console.log(`[sdk] browser bundle: ${(bytes / 1024).toFixed(1)} KiB minified, ${(gzipped / 1024).toFixed(1)} KiB gzipped`);
    // The SDK and its SSE parser are ~16 KiB minified today; zod alone would add well over 50 KiB.
    expect(gzipped).toBeLessThan(12 * 1024);
  });
});
