import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const widget = fileURLToPath(new URL('..', import.meta.url));

/** The budget of the script-tag bundle, gzipped at level 9 (issues 6, 14); `npm run bench -- widget-size` prints it too. */
const BUDGET_GZIP_BYTES = 40 * 1024;
/** The one chunk the bundle loads on demand: the code highlighter, next to it under `chunks/`. */
const HIGHLIGHT_CHUNK = /\bimport\(\s*["']\.\/chunks\/(highlight-[A-Za-z0-9_-]+\.js)["']\s*\)/;

async function readBundle(): Promise<string> {
  return readFile(`${widget}dist/ai-chat.js`, 'utf8').catch(() => {
    throw new Error('packages/widget/dist/ai-chat.js is missing: run `npm run build` first');
  });
}

describe('@ai-chat/widget builds', () => {
  it('the script-tag bundle is one file with Lit and the SDK inside, and no zod; only on-demand chunks are imported', async () => {
    const bundle = await readBundle();
    // Nothing is imported up front; only the on-demand chunks next to it are, by relative dynamic import.
    expect(bundle).not.toMatch(/^import\s|\bfrom\s*["']/m);
    expect(bundle.replace(/\bimport\("\.\/chunks\/[\w-]+\.js"\)/g, '')).not.toMatch(/\bimport\s*\(/);
    expect(bundle).not.toMatch(/ZodError|zod/);
    expect(bundle).toContain('customElements');
    expect(bundle).toContain('/api/chat');
  });

  it('loads the code highlighter from a self-contained chunk next to it (it never imports the bundle back)', async () => {
    const name = HIGHLIGHT_CHUNK.exec(await readBundle())?.[1];
    expect(name, 'import("./chunks/highlight-<hash>.js") in ai-chat.js').toBeDefined();
    const chunk = await readFile(`${widget}dist/chunks/${name}`, 'utf8');
    // Its grammars hold words like `import` and `from`: look for module specifiers, not for the words.
    expect(/^import\b|\bfrom\s*["']\.{0,2}\/|\bimport\s*\(\s*["']/.test(chunk), 'the chunk imports a module').toBe(false);
    expect(chunk.includes('customElements'), 'the chunk holds element code').toBe(false);
    expect(chunk.includes('typescript'), 'the chunk holds the grammars').toBe(true);
    console.log(`chunks/${name} is ${(gzipSync(chunk, { level: 9 }).length / 1024).toFixed(1)} KB gzipped (loaded on demand)`);
  });

  it('stays within 40 KB gzipped, with no HTML sanitiser and no unsafeHTML (nothing is parsed as HTML)', async () => {
    const bundle = await readBundle();
    const gzipped = gzipSync(bundle, { level: 9 }).length;
    console.log(`ai-chat.js (main chunk) is ${gzipped} B = ${(gzipped / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_GZIP_BYTES / 1024} KB)`);
    expect(gzipped, `ai-chat.js is ${(gzipped / 1024).toFixed(1)} KB gzipped`).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
    expect(bundle).not.toMatch(/dompurify|data-tt-policy-suffix/i);
    expect(bundle).not.toContain('unsafeHTML');
  });

  it('loads marked’s lexer from a chunk of its own, without marked’s HTML parser and renderer', async () => {
    const name = /\bimport\("\.\/chunks\/(marked-lexer-[\w-]+\.js)"\)/.exec(await readBundle())?.[1];
    expect(name, 'import("./chunks/marked-lexer-<hash>.js") in ai-chat.js').toBeDefined();
    const chunk = await readFile(`${widget}dist/chunks/${name}`, 'utf8');
    expect(/^import\b|\bfrom\s*["']\.{0,2}\/|\bimport\s*\(\s*["']/.test(chunk), 'the chunk imports a module').toBe(false);
    // Only the lexer is used: marked's parser and renderer are cut (their error message is gone with them).
    expect(chunk).toContain('Lexer');
    expect(chunk).not.toContain('An error occurred');
    console.log(`chunks/${name} is ${(gzipSync(chunk, { level: 9 }).length / 1024).toFixed(1)} KB gzipped (loaded as the element connects)`);
  });

  it('loads every language but English from a chunk of its own next to the bundle, each small and self-contained', async () => {
    const bundle = await readBundle();
    const chunks = (await readdir(`${widget}dist/chunks`)).filter((name) => name.endsWith('.js'));
    const imported = [...bundle.matchAll(/\bimport\("\.\/chunks\/([\w-]+\.js)"\)/g)].map((match) => match[1]);
    const languages = ['es', 'fr', 'de', 'pt', 'it', 'nl', 'pl', 'tr', 'ru', 'uk', 'ar', 'he', 'hi', 'ja', 'ko', 'zh-CN'];
    for (const tag of languages) expect(imported.filter((name) => name?.startsWith(`${tag}-`) && /^[\w-]+-[\w-]{8}\.js$/.test(name)), tag).toHaveLength(1);
    expect(chunks.sort()).toEqual([...imported].sort());
    const sizes: string[] = [];
    // The highlighter's and marked's chunks are checked on their own above (they hold the words `import` and `from`).
    for (const name of chunks.filter((chunk) => !/^(highlight|marked-lexer)-/.test(chunk))) {
      const chunk = await readFile(`${widget}dist/chunks/${name}`, 'utf8');
      expect(chunk, name).not.toMatch(/\bimport\b|\bfrom\s*["']/);
      const gzipped = gzipSync(chunk, { level: 9 }).length;
      sizes.push(`${name.replace(/-[\w-]{8}\.js$/, '')} ${gzipped} B`);
      expect(gzipped, name).toBeLessThanOrEqual(3 * 1024);
    }
    console.log(`language chunks (gzip): ${sizes.join(', ')}`);
  });

  it('custom-elements.json matches the element’s JSDoc', async () => {
    await expect(promisify(execFile)(process.execPath, [`${widget}scripts/build-manifest.mjs`, '--check'])).resolves.toBeDefined();
  });
});
