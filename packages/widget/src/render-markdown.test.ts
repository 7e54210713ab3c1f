import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '@ai-chat/testkit';
import { openMarkdownPage } from './testing/markdown-page.js';

const IMAGE_HOST = 'https://img.example';

const ALLOWED_ELEMENTS = new Set([
  'P', 'BR', 'HR', 'STRONG', 'EM', 'DEL', 'CODE', 'PRE', 'BLOCKQUOTE', 'UL', 'OL', 'LI', 'A', 'IMG', 'H1', 'H2', 'H3',
  'H4', 'H5', 'H6', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'DIV', 'SPAN', 'BUTTON', 'INPUT',
]);
const ALLOWED_ATTRIBUTES = new Set(['href', 'title', 'target', 'rel', 'src', 'alt', 'loading', 'referrerpolicy', 'class', 'type', 'disabled', 'checked', 'start', 'align', 'tabindex']);

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  'Look: <img src=x onerror=alert(1)> and <script>alert(1)</script>',
  '<script>alert(1)</script>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<svg onload=alert(1)><script>alert(1)</script></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<style>*{display:none}</style>hidden?',
  '<details open ontoggle=alert(1)>x</details>',
  '<form action="javascript:alert(1)"><button>go</button></form>',
  '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
  '<a href="javascript:alert(1)">raw anchor</a>',
  '[x](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))',
  '[x](  javascript:alert(1))',
  '[x](<javascript:alert(1)>)',
  '[x](&#106;avascript:alert(1))',
  '[x](&#x6A;avascript:alert(1))',
  '[x](&#0000106;&#0000097;vascript:alert(1))',
  '[x](java&#x09;script:alert(1))',
  '[x](javascript&colon;alert(1))',
  '[x](%6Aavascript:alert(1))',
  '[x](vbscript:msgbox(1))',
  '[x](VBScript:msgbox(1))',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[x](DATA:text/html,<script>alert(1)</script>)',
  '[x](file:///etc/passwd)',
  '[x](//evil.example/relative-to-scheme)',
  '[x](/relative/path)',
  '<javascript:alert(1)>',
  '<JAVASCRIPT:alert(1)>',
  '<vbscript:msgbox(1)>',
  '<data:text/html,alert(1)>',
  '[ref]\n\n[ref]: javascript:alert(1)',
  '[x](https://ok.example "a\\" onmouseover=\\"alert(1)")',
  "[x](https://ok.example 'it\\'s \"quoted\" <b>')",
  '![x](javascript:alert(1))',
  '![x](data:image/svg+xml,<svg onload=alert(1)>)',
  '![x](https://evil.example/pixel.png)',
  '![x](http://img.example/plain-http.png)',
  '![x" onerror="alert(1)](https://img.example/ok.png)',
  '[![img](https://evil.example/p.png)](javascript:alert(1))',
  '`<img src=x onerror=alert(1)>`',
  '```html\n<script>alert(1)</script>\n```',
  '    <script>alert(1)</script>',
  '*<img src=x onerror=alert(1)>* **<b onclick=alert(1)>bold</b>**',
  '| a | <img src=x onerror=alert(1)> |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |',
  '- [x] <script>alert(1)</script>\n- [ ] [x](javascript:alert(1))',
  '> <iframe src=javascript:alert(1)>\n> [x](vbscript:x)',
  '# <img src=x onerror=alert(1)>',
  '<!-- <img src=x onerror=alert(1)> -->',
  '<![CDATA[<img src=x onerror=alert(1)>]]>',
  '<?php echo 1 ?>',
  '\\<img src=x onerror=alert(1)\\>',
  '&lt;img src=x onerror=alert(1)&gt;',
];

let browser: Browser;
let page: Page;
const dialogs: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  page = await openMarkdownPage(browser);
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
});

afterAll(async () => {
  await browser?.close();
});

interface Rendered {
  text: string;
  elements: Array<{ tag: string; attributes: Record<string, string> }>;
}

/** Renders markdown with the renderer into a fresh container and describes every element and its text. */
function renderInPage(markdown: string, imageHosts: string[] = [IMAGE_HOST]): Promise<Rendered> {
  return page.evaluate(({ markdown, imageHosts }) => {
    const { render, renderMarkdown } = (window as unknown as { markdownTest: { render: (value: unknown, container: HTMLElement) => void; renderMarkdown: (text: string, options: object) => unknown } }).markdownTest;
    const root = document.getElementById('root')!;
    root.replaceChildren();
    const container = document.createElement('div');
    root.append(container);
    render(renderMarkdown(markdown, { imageHosts }), container);
    return {
      text: container.textContent ?? '',
      elements: [...container.querySelectorAll('*')].map((element) => ({
        tag: element.tagName,
        attributes: Object.fromEntries([...element.attributes].map((attribute) => [attribute.name, attribute.value])),
      })),
    };
  }, { markdown, imageHosts });
}

/** Everything that makes rendered markup unsafe, as readable strings (none is the goal). */
function findUnsafe({ elements }: Rendered): string[] {
  const problems: string[] = [];
  for (const { tag, attributes } of elements) {
    if (!ALLOWED_ELEMENTS.has(tag)) problems.push(`element ${tag}`);
    for (const name of Object.keys(attributes)) if (!ALLOWED_ATTRIBUTES.has(name)) problems.push(`${tag}[${name}]`);
    if (tag === 'A' && attributes.href !== undefined) {
      const protocol = new URL(attributes.href).protocol;
      if (!['http:', 'https:', 'mailto:'].includes(protocol)) problems.push(`link to ${attributes.href}`);
      if (attributes.rel !== 'noopener noreferrer nofollow' || attributes.target !== '_blank') problems.push(`link without rel/target: ${attributes.href}`);
    }
    if (tag === 'IMG' && new URL(attributes.src ?? 'about:blank').origin !== IMAGE_HOST) problems.push(`image from ${attributes.src}`);
    if (tag === 'INPUT' && (attributes.type !== 'checkbox' || attributes.disabled === undefined)) problems.push('an enabled or non-checkbox input');
  }
  return problems;
}

describe('renderMarkdown (Lit templates from marked tokens) in Chromium', () => {
  it('renders every hostile payload with only allowed elements, attributes and link protocols, and runs no script', async () => {
    const report: Record<string, string[]> = {};
    for (const markdown of HOSTILE) {
      const problems = findUnsafe(await renderInPage(markdown));
      if (problems.length > 0) report[markdown] = problems;
    }
    const all = findUnsafe(await renderInPage(HOSTILE.join('\n\n')));
    await page.waitForTimeout(200);
    expect(report).toEqual({});
    expect(all).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => document.querySelectorAll('#root script, #root iframe, #root object, #root embed, #root svg').length)).toBe(0);
  });

  it('shows raw HTML as the text it is, and keeps HTML inside code spans and code blocks literal', async () => {
    const raw = await renderInPage('Look: <img src=x onerror=alert(1)> and <script>alert(1)</script>');
    expect(raw.text).toContain('<img src=x onerror=alert(1)>');
    expect(raw.text).toContain('<script>');
    const block = await renderInPage('<iframe srcdoc="<script>alert(1)</script>"></iframe>');
    expect(block.text).toBe('<iframe srcdoc="<script>alert(1)</script>"></iframe>');
    const span = await renderInPage('`<b>bold?</b> &amp;`');
    expect(span.elements.map((element) => element.tag)).toEqual(['P', 'CODE']);
    expect(span.text).toBe('<b>bold?</b> &amp;');
    const fenced = await renderInPage('```html\n<script>alert(1)</script>\n```');
    expect(fenced.text).toContain('<script>alert(1)</script>');
    expect(fenced.elements.some((element) => element.tag === 'BUTTON')).toBe(true);
  });

  it('drops unsafe link targets but keeps their text, and keeps safe ones with rel and target', async () => {
    for (const markdown of ['[click me](javascript:alert(1))', '[click me](&#106;avascript:alert(1))', '[click me](JaVaScRiPt:alert(1))', '[click me](data:text/html,x)', '[click me](vbscript:x)']) {
      const rendered = await renderInPage(markdown);
      expect(rendered.text, markdown).toBe('click me');
      expect(rendered.elements.filter((element) => element.attributes.href !== undefined), markdown).toEqual([]);
      // Shown as plain text, not as a link that goes nowhere.
      expect(rendered.elements.filter((element) => element.tag === 'A'), markdown).toEqual([]);
    }
    const autolink = await renderInPage('<javascript:alert(1)>');
    expect(autolink.text).toBe('javascript:alert(1)');
    expect(autolink.elements.some((element) => element.attributes.href !== undefined)).toBe(false);

    const safe = await renderInPage('[docs](https://ok.example/path?q=1 "The \\"docs\\"") <mailto:team@ok.example> www.ok.example');
    const links = safe.elements.filter((element) => element.tag === 'A').map((element) => element.attributes);
    expect(links).toEqual([
      { href: 'https://ok.example/path?q=1', title: 'The "docs"', target: '_blank', rel: 'noopener noreferrer nofollow' },
      { href: 'mailto:team@ok.example', target: '_blank', rel: 'noopener noreferrer nofollow' },
      { href: 'http://www.ok.example', target: '_blank', rel: 'noopener noreferrer nofollow' },
    ]);
  });

  it('loads images only from allowed hosts and links to the others', async () => {
    const rendered = await renderInPage('![ok](https://img.example/a.png) ![other](https://evil.example/b.png)');
    expect(rendered.elements.filter((element) => element.tag === 'IMG').map((element) => element.attributes.src)).toEqual(['https://img.example/a.png']);
    expect(rendered.elements.find((element) => element.tag === 'A')?.attributes.href).toBe('https://evil.example/b.png');
    const none = await renderInPage('![ok](https://img.example/a.png)', []);
    expect(none.elements.some((element) => element.tag === 'IMG')).toBe(false);
  });

  it('renders the markdown replies use: headings, emphasis, lists, tasks, quotes, tables, code, rules, breaks', async () => {
    const markdown = [
      '## Title &amp; more',
      'Some *em*, **strong**, ~~gone~~ and `code`.\nNext line.',
      '- one\n- two\n  1. nested',
      '3. three\n4. four',
      '- [x] done\n- [ ] todo',
      '> quoted',
      '| left | right |\n|:--|--:|\n| a | b |',
      '```ts\nconst x = 1;\n```',
      '---',
    ].join('\n\n');
    const rendered = await renderInPage(markdown);
    const tags = rendered.elements.map((element) => element.tag);
    for (const tag of ['H2', 'EM', 'STRONG', 'DEL', 'CODE', 'BR', 'UL', 'OL', 'LI', 'BLOCKQUOTE', 'TABLE', 'TH', 'TD', 'PRE', 'HR', 'BUTTON']) {
      expect(tags, tag).toContain(tag);
    }
    expect(rendered.text).toContain('Title & more');
    expect(rendered.elements.find((element) => element.tag === 'OL' && element.attributes.start)?.attributes.start).toBe('3');
    const boxes = rendered.elements.filter((element) => element.tag === 'INPUT').map((element) => element.attributes.checked !== undefined);
    expect(boxes).toEqual([true, false]);
    expect(rendered.elements.filter((element) => element.tag === 'TH').map((element) => element.attributes.align)).toEqual(['left', 'right']);
    expect(rendered.elements.find((element) => element.attributes.class === 'code-lang')).toBeDefined();
    expect(rendered.text).toContain('const x = 1;');
  });
});
