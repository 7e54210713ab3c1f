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
  it('the script-tag bundle is one file with the SDK and marked inside, and no zod; languages and the highlighter are chunks', async () => {
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

  it('loads marked\'s lexer from a self-contained chunk next to it, started as soon as the bundle runs', async () => {
    const bundle = await readBundle();
    const name = /\bimport\(\s*["']\.\/chunks\/(lexer-[A-Za-z0-9_-]+\.js)["']\s*\)/.exec(bundle)?.[1];
    expect(name, 'import("./chunks/lexer-<hash>.js") in ai-chat.js').toBeDefined();
    const chunk = await readFile(`${widget}dist/chunks/${name}`, 'utf8');
    expect(/^import\b|\bfrom\s*["']\.{0,2}\/|\bimport\s*\(\s*["']/m.test(chunk), 'the chunk imports a module').toBe(false);
    expect(chunk.includes('customElements'), 'the chunk holds element code').toBe(false);
    // marked's own error text marks where its lexer is: in the chunk, not in the bundle.
    expect(chunk.includes('Infinite loop on byte'), 'the chunk holds the lexer').toBe(true);
    expect(bundle.includes('Infinite loop on byte'), 'the bundle holds the lexer').toBe(false);
    console.log(`chunks/${name} is ${(gzipSync(chunk, { level: 9 }).length / 1024).toFixed(1)} KB gzipped (loaded at start, beside the first requests)`);
  });

  it('stays within 40 KB gzipped, with no HTML sanitiser and no unsafeHTML (nothing is parsed as HTML)', async () => {
    const bundle = await readBundle();
    const gzipped = gzipSync(bundle, { level: 9 }).length;
    console.log(`ai-chat.js (main chunk) is ${gzipped} B = ${(gzipped / 1024).toFixed(1)} KB gzipped`);
    expect(gzipped, `ai-chat.js is ${(gzipped / 1024).toFixed(1)} KB gzipped`).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
    expect(bundle).not.toMatch(/dompurify|data-tt-policy-suffix/i);
    expect(bundle).not.toContain('unsafeHTML');
    // marked's HTML renderer is cut from the bundle: only its lexer is used.
    expect(bundle).not.toContain('An error occurred');
  });

  it('loads every language but English from a chunk of its own next to the bundle, each small and self-contained', async () => {
    const bundle = await readBundle();
    // The highlighter and the markdown lexer are checked on their own; every other chunk is a language.
    const isLanguage = (name: string | undefined) => !/^(highlight|lexer)-/.test(name ?? '');
    const chunks = (await readdir(`${widget}dist/chunks`)).filter((name) => name.endsWith('.js') && isLanguage(name));
    const imported = [...bundle.matchAll(/\bimport\("\.\/chunks\/([\w-]+\.js)"\)/g)].map((match) => match[1]).filter(isLanguage);
    const languages = ['es', 'fr', 'de', 'pt', 'it', 'nl', 'pl', 'tr', 'ru', 'uk', 'ar', 'he', 'hi', 'ja', 'ko', 'zh-CN'];
    for (const tag of languages) expect(imported.filter((name) => name?.startsWith(`${tag}-`) && /^[\w-]+-[\w-]{8}\.js$/.test(name)), tag).toHaveLength(1);
    expect(chunks.sort()).toEqual([...imported].sort());
    const sizes: string[] = [];
    for (const name of chunks) {
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
