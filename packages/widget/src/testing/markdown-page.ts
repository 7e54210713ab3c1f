import { fileURLToPath } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import type { Browser, Page } from 'playwright-core';
import { rollup } from 'rollup';

const DIST = fileURLToPath(new URL('../../dist/lib/', import.meta.url));

/**
 * A blank Chromium page with the markdown renderer as `tsc -b` built it (run `npm run build` first), Lit's `render()`
 * and the highlight styles on `window.markdownTest`, with marked's lexer loaded. The highlighter chunk is inlined: it
 * still loads asynchronously.
 */
export async function openMarkdownPage(browser: Browser): Promise<Page> {
  const entry = [
    "export { render } from 'lit';",
    `export { renderMarkdown, loadMarkdown } from ${JSON.stringify(`${DIST}render-markdown.js`)};`,
    `export { highlightStyles } from ${JSON.stringify(`${DIST}markdown/highlight.styles.js`)};`,
  ].join('\n');
  const build = await rollup({
    input: 'entry',
    plugins: [{ name: 'entry', resolveId: (id) => (id === 'entry' ? id : null), load: (id) => (id === 'entry' ? entry : null) }, nodeResolve({ browser: true })],
  });
  const { output } = await build.generate({ format: 'iife', name: 'markdownTest', inlineDynamicImports: true });
  await build.close();
  const page = await browser.newPage();
  await page.setContent('<!doctype html><html><body><div id="root"></div></body></html>');
  await page.addScriptTag({ content: output[0].code });
  // The lexer loads on its own (as the bundle's chunk does); these pages test what is rendered once it is there.
  await page.evaluate(() => (window as unknown as { markdownTest: MarkdownTestGlobals }).markdownTest.loadMarkdown());
  return page;
}

/** What the page's `window.markdownTest` holds. */
export interface MarkdownTestGlobals {
  render: (value: unknown, container: HTMLElement) => void;
  renderMarkdown: (text: string, options?: object) => unknown;
  loadMarkdown: () => Promise<void>;
  highlightStyles: { styleSheet: CSSStyleSheet };
}
