import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '@ai-chat/testkit';
import { openMarkdownPage, type MarkdownTestGlobals } from '../testing/markdown-page.js';

/** A reply of the kind models write, using every construct that can be cut open while it streams. */
const SAMPLE = [
  '## Setting up the client',
  '',
  'To start, install the **SDK** with `npm install @ai-chat/sdk` and create a _client_ once. Keep the **token',
  '_private_** and read the [docs](https://docs.example/sdk "SDK docs") for ~~old~~ current options.',
  '',
  '1. Create the client',
  '2. Call `users.ensure()` before **anything else**',
  '',
  '- a point with *emphasis* and ***both at once***',
  '- another with `code` and a [link](https://example.com/a_(b)) inside',
  '',
  '> A quote with **bold** text.',
  '',
  '| Option | Default |',
  '|---|---|',
  '| `baseUrl` | the page’s origin |',
  '| `fetch` | *global* |',
  '',
  '```ts',
  "const client = new ChatClient({ baseUrl: 'https://chat.example.com' });",
  'await client.users.ensure(); // **not bold** in code',
  '```',
  '',
  'That’s all: snake_case_names and 2*3 stay as they are, and ``a `tick` inside`` too.',
  '',
  '---',
  '',
  'Done.',
].join('\n');

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await openMarkdownPage(browser);
});

afterAll(async () => {
  await browser?.close();
});

interface PrefixReport {
  prefix: string;
  problem: string;
}

/**
 * Renders every prefix of `markdown` and compares it with the final rendering: the text runs (each with the elements
 * it sits in) of a prefix must be the final form's first runs, the last one possibly cut short. Returns the prefixes
 * that differ, and those that show a character the final text never shows (a raw marker).
 */
function checkPrefixes(markdown: string, isStreaming: boolean): Promise<PrefixReport[]> {
  return page.evaluate(({ markdown, isStreaming }) => {
    type Run = { path: string; text: string };
    const { render, renderMarkdown } = (window as unknown as { markdownTest: MarkdownTestGlobals }).markdownTest;
    const root = document.getElementById('root')!;
    const runsOf = (text: string, streaming: boolean): { runs: Run[]; visible: string } => {
      root.replaceChildren();
      const container = document.createElement('div');
      root.append(container);
      render(renderMarkdown(text, { isStreaming: streaming }), container);
      const runs: Run[] = [];
      let visible = '';
      const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement!;
        if (parent.closest('.code-bar')) continue; // the language label and the Copy button
        const tags: string[] = [];
        for (let element: Element | null = parent; element && element !== container; element = element.parentElement) {
          if (!(element.tagName === 'SPAN' && element.closest('pre'))) tags.unshift(element.tagName); // highlighting
        }
        const value = (node.textContent ?? '').replace(/\s+/g, ' ');
        if (!parent.closest('pre, code')) visible += value;
        if (value.trim() === '') continue;
        const path = tags.join('>');
        const last = runs.at(-1);
        if (last?.path === path) last.text += value;
        else runs.push({ path, text: value });
      }
      return { runs, visible };
    };
    const final = runsOf(markdown, false);
    const markers = [...'*_`~[]()|#>'].filter((marker) => !final.visible.includes(marker));
    const reports: Array<{ prefix: string; problem: string }> = [];
    for (let length = 1; length < markdown.length; length += 1) {
      const prefix = markdown.slice(0, length);
      const { runs, visible } = runsOf(prefix, isStreaming);
      const shown = markers.filter((marker) => visible.includes(marker));
      if (shown.length > 0) reports.push({ prefix: prefix.slice(-40), problem: `shows ${shown.join(' ')}` });
      runs.forEach((run, index) => {
        const expected = final.runs[index];
        const isLast = index === runs.length - 1;
        const matches = expected?.path === run.path && (isLast ? expected.text.startsWith(run.text.trimEnd()) : expected.text === run.text);
        if (!matches) reports.push({ prefix: prefix.slice(-40), problem: `run ${index} is ${run.path} "${run.text}", final ${expected?.path} "${expected?.text}"` });
      });
    }
    return reports;
  }, { markdown, isStreaming });
}

describe('streaming markdown (Chromium)', () => {
  it('renders every prefix of a reply as the start of its final form: no raw marker, nothing restyled later', async () => {
    const reports = await checkPrefixes(SAMPLE, true);
    expect(reports.slice(0, 10)).toEqual([]);
  });

  it('would show raw markers without it (the check above can fail)', async () => {
    const reports = await checkPrefixes(SAMPLE, false);
    expect(reports.some((report) => report.problem.startsWith('shows'))).toBe(true);
    expect(reports.length).toBeGreaterThan(100);
  });
});
