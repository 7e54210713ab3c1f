import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '@ai-chat/testkit';
import { openMarkdownPage, type MarkdownTestGlobals } from '../testing/markdown-page.js';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await openMarkdownPage(browser);
  await page.evaluate(() => {
    const { highlightStyles } = (window as unknown as { markdownTest: MarkdownTestGlobals }).markdownTest;
    document.adoptedStyleSheets = [highlightStyles.styleSheet];
  });
});

afterAll(async () => {
  await browser?.close();
});

interface CodeView {
  text: string;
  spans: Array<{ text: string; className: string; attributes: string[]; color: string }>;
  plainColor: string;
  elements: string[];
}

/** Renders markdown into a fresh container and describes its first code block once `ready` says it is done. */
async function renderCode(markdown: string): Promise<void> {
  await page.evaluate((markdown) => {
    const { render, renderMarkdown } = (window as unknown as { markdownTest: MarkdownTestGlobals }).markdownTest;
    const root = document.getElementById('root')!;
    root.replaceChildren();
    const container = document.createElement('div');
    root.append(container);
    render(renderMarkdown(markdown), container);
  }, markdown);
}

function describeCode(): Promise<CodeView> {
  return page.evaluate(() => {
    const code = document.querySelector('#root pre code')!;
    return {
      text: code.textContent ?? '',
      spans: [...code.querySelectorAll('span')].map((span) => ({
        text: span.textContent ?? '',
        className: span.className,
        attributes: [...span.attributes].map((attribute) => attribute.name),
        color: getComputedStyle(span).color,
      })),
      plainColor: getComputedStyle(code).color,
      elements: [...document.querySelectorAll('#root *')].map((element) => element.tagName),
    };
  });
}

describe('code highlighting (Chromium)', () => {
  it('colours fenced code with a known language from tokens, keeping the code’s text exactly', async () => {
    const code = "const answer = 42; // the answer\nfunction greet(name: string) { return `hi ${name}`; }";
    await renderCode(`\`\`\`ts\n${code}\n\`\`\``);
    await expect.poll(async () => (await describeCode()).spans.length).toBeGreaterThan(5);
    const view = await describeCode();
    expect(view.text).toBe(code);
    const byText = (text: string) => view.spans.find((span) => span.text === text);
    expect(byText('const')?.className).toBe('t-keyword');
    expect(byText('42')?.className).toBe('t-number');
    expect(byText('// the answer')?.className).toBe('t-comment');
    expect(byText('greet')?.className).toContain('t-function');
    // Spans carry a class and nothing else (no inline style, no handler), and get the theme's colours.
    expect(view.spans.every((span) => span.attributes.join() === 'class')).toBe(true);
    expect(byText('const')?.color).not.toBe(view.plainColor);
    expect(byText('42')?.color).not.toBe(byText('const')?.color);
  });

  it('knows the common aliases (js, py, sh, html, yml) and is case-insensitive', async () => {
    for (const [language, code, token] of [
      ['js', 'let x = 1;', 'let'],
      ['Python', 'def f():\n    return None', 'def'],
      ['sh', 'echo "hi" # note', '# note'],
      ['yml', 'key: true', 'true'],
      ['json', '{"a": 1}', '1'],
    ]) {
      await renderCode(`\`\`\`${language}\n${code}\n\`\`\``);
      await expect.poll(async () => (await describeCode()).spans.some((span) => span.text === token), { message: language }).toBe(true);
    }
  });

  it('leaves unknown languages and code without a language plain', async () => {
    for (const markdown of ['```brainfog\nconst x = 1;\n```', '```\nconst x = 1;\n```', '```extend\nconst x = 1;\n```', '    const x = 1;']) {
      await renderCode(markdown);
      // The highlighter (already loaded by the test above) answers synchronously: nothing is left to wait for.
      await renderCode(markdown);
      const view = await describeCode();
      expect(view.spans, markdown).toEqual([]);
      expect(view.text).toBe('const x = 1;');
    }
  });

  it('keeps markup inside highlighted code as text: no element from the code reaches the page', async () => {
    const code = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    await renderCode(`\`\`\`html\n${code}\n\`\`\``);
    await expect.poll(async () => (await describeCode()).spans.some((span) => span.className.includes('t-tag'))).toBe(true);
    const view = await describeCode();
    expect(view.text).toBe(code);
    expect(view.elements.filter((tag) => !['DIV', 'SPAN', 'BUTTON', 'PRE', 'CODE'].includes(tag))).toEqual([]);
  });
});
