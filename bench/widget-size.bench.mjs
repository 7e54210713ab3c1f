// Size of the self-contained <ai-chat> bundle (packages/widget/dist/ai-chat.js) against its 40 KB gzip budget, next
// to what each dependency costs on its own, bundled and minified the same way in this run (the baselines). The
// widget uses only marked's lexer; the bench shows marked whole and lexer-only (as rollup.config.mjs bundles it). The
// code highlighter is a chunk loaded on demand (dist/chunks/highlight-<hash>.js): shown, but outside the budget.
import { readFile, readdir, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import rollupConfig from '../rollup.config.mjs';

const BUDGET_GZIP = 40 * 1024;
const root = fileURLToPath(new URL('..', import.meta.url));
const bundlePath = join(root, 'packages/widget/dist/ai-chat.js');

const sizeOf = (code) => ({ raw: Buffer.byteLength(code), gzip: gzipSync(code, { level: 9 }).length });
const kb = (bytes) => `${(bytes / 1024).toFixed(1).padStart(6)} KB`;

const markedLexerOnly = rollupConfig.find((entry) => entry.output.entryFileNames === 'ai-chat.js').plugins.find((plugin) => plugin.name === 'marked-lexer-only');

/** Bundles one entry source the way rollup.config.mjs bundles the widget, and returns the minified code. */
async function bundleSource(source, directory, extraPlugins = []) {
  const entry = join(directory, `entry-${Math.random().toString(36).slice(2)}.mjs`);
  await writeFile(entry, source);
  const build = await rollup({
    input: entry,
    onwarn: () => {},
    plugins: [
      ...extraPlugins,
      nodeResolve({ browser: true, exportConditions: ['production'], rootDir: root, modulePaths: [join(root, 'node_modules')] }),
      terser({ format: { comments: false }, ecma: 2022, module: true }),
    ],
  });
  const { output } = await build.generate({ format: 'es' });
  await build.close();
  return output[0].code;
}

let bundle;
try {
  bundle = await readFile(bundlePath, 'utf8');
} catch {
  console.error(`no bundle at ${bundlePath}: run \`npm run build\` first`);
  process.exit(1);
}

const directory = await mkdtemp(join(root, 'node_modules/.widget-size-'));
// What the bundle holds; the last column says whether a row counts towards "the element" estimate below.
const parts = [
  ['lit (baseline)', "export * from 'lit'; export * from 'lit/decorators.js';", [], true],
  ['marked (lexer only)', "export { Lexer } from 'marked';", [markedLexerOnly], true],
  ['@ai-chat/sdk', "export * from '@ai-chat/sdk';", [], true],
  ['marked whole, for reference', "export { Marked } from 'marked';", [], false],
];
const rows = [];
try {
  for (const [name, source, plugins, isInBundle] of parts) rows.push([name, sizeOf(await bundleSource(source, directory, plugins)), isInBundle]);
} finally {
  await rm(directory, { recursive: true, force: true });
}

const total = sizeOf(bundle);
const dependencies = rows.reduce((sum, [, size, isInBundle]) => sum + (isInBundle ? size.gzip : 0), 0);
console.log(`${'part'.padEnd(28)}${'raw'.padStart(10)}${'gzip'.padStart(10)}`);
for (const [name, size] of rows) console.log(`${name.padEnd(28)}${kb(size.raw)}${kb(size.gzip)}`);
console.log(`${'ai-chat.js (whole bundle)'.padEnd(28)}${kb(total.raw)}${kb(total.gzip)}`);
console.log(`${'  of which the element'.padEnd(28)}${''.padStart(10)}${kb(total.gzip - dependencies)}  (bundle minus parts, approx.)`);
for (const name of await readdir(join(root, 'packages/widget/dist/chunks')).catch(() => [])) {
  if (!name.endsWith('.js')) continue;
  const chunk = sizeOf(await readFile(join(root, 'packages/widget/dist/chunks', name), 'utf8'));
  console.log(`${`chunks/${name}`.padEnd(28)}${kb(chunk.raw)}${kb(chunk.gzip)}  (on demand, outside the budget)`);
}
console.log(`budget: ${kb(BUDGET_GZIP).trim()} gzip; ${total.gzip <= BUDGET_GZIP ? 'within' : 'OVER'} by ${kb(Math.abs(BUDGET_GZIP - total.gzip)).trim()}`);
if (total.gzip > BUDGET_GZIP) process.exitCode = 1;
