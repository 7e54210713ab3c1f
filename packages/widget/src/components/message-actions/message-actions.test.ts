import { fileURLToPath } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { rollup } from 'rollup';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findSeriousA11yViolations, launchBrowser } from '@ai-chat/testkit';

// The actions as `tsc -b` built them (run `npm run build` first), hosted by a small test element in Chromium that
// records what they ask of the conversation.
const DIST = fileURLToPath(new URL('../../../dist/lib/', import.meta.url));

const HARNESS = `
import { LitElement, html } from 'lit';
import { renderMessageActions, renderMessageEditor } from ${JSON.stringify(`${DIST}components/message-actions/message-actions.js`)};
import { MessageActionsController } from ${JSON.stringify(`${DIST}components/message-actions/message-actions.controller.js`)};
import { messageActionsStyles } from ${JSON.stringify(`${DIST}components/message-actions/message-actions.styles.js`)};
import { hostStyles } from ${JSON.stringify(`${DIST}ai-chat.styles.js`)};
import { panelStyles } from ${JSON.stringify(`${DIST}components/panel/panel.styles.js`)};
import { en as DEFAULT_STRINGS } from ${JSON.stringify(`${DIST}i18n/locales/en.js`)};

class TestActions extends LitElement {
  static properties = { messages: { attribute: false }, isBusy: { type: Boolean } };
  static styles = [hostStyles, panelStyles, messageActionsStyles];
  constructor() {
    super();
    this.messages = [];
    this.isBusy = false;
    this.calls = [];
    this.announcements = [];
    const record = (name) => (message, ...rest) => { this.calls.push([name, message.id, ...rest]); };
    this.actions = new MessageActionsController(this, {
      regenerate: record('regenerate'),
      edit: record('edit'),
      showVersion: record('showVersion'),
      rate: (message, rating, reason) => {
        this.calls.push(['rate', message.id, rating, reason]);
        this.messages = this.messages.map((item) => item.id === message.id ? { ...item, feedback: rating ? { rating, reason } : undefined } : item);
      },
      announce: (text) => this.announcements.push(text),
      strings: () => DEFAULT_STRINGS,
    });
  }
  render() {
    const lastUser = this.messages.findLast((message) => message.role === 'user');
    const last = this.messages.at(-1);
    return html\`<div class="panel" role="log">\${this.messages.map((message) => html\`<div class="message" part="message \${message.role}" data-id=\${message.id}>
      \${this.actions.editingId === message.id
        ? renderMessageEditor({ message, draft: this.actions.draft, strings: DEFAULT_STRINGS }, this.actions.editor)
        : html\`<p>\${message.content}</p>\`}
      \${renderMessageActions({
        message, strings: DEFAULT_STRINGS, locale: 'en',
        canRegenerate: !this.isBusy && message === last && message.role === 'assistant',
        canEdit: !this.isBusy && message === lastUser,
        isBusy: this.isBusy,
        isCopied: this.actions.copiedId === message.id,
        isReasonOpen: this.actions.reasonId === message.id,
      }, this.actions.actions)}
    </div>\`)}</div>\`;
  }
}
customElements.define('test-actions', TestActions);
`;

const message = (id: string, role: 'user' | 'assistant', content: string, extra: object = {}) => ({
  id, sessionId: 's1', role, content, model: role === 'assistant' ? 'demo' : null, status: 'complete', createdAt: '2026-12-01T00:00:00.000Z', ...extra,
});

const MESSAGES = [
  message('u1', 'user', 'First question'),
  message('a1', 'assistant', 'First **answer**'),
  message('u2', 'user', 'Second question', { versions: { index: 1, count: 2 } }),
  message('a2', 'assistant', 'Second answer with `code`', { versions: { index: 2, count: 3 }, feedback: { rating: 'up' } }),
];

let browser: Browser;
let context: BrowserContext;
let page: Page;
let script: string;

beforeAll(async () => {
  const build = await rollup({
    input: 'harness',
    plugins: [{ name: 'harness', resolveId: (id) => (id === 'harness' ? id : null), load: (id) => (id === 'harness' ? HARNESS : null) }, nodeResolve({ browser: true })],
  });
  script = (await build.generate({ format: 'iife' })).output[0].code;
  await build.close();
  browser = await launchBrowser();
});

beforeEach(async () => {
  await context?.close();
  context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: 'http://127.0.0.1' });
  page = await context.newPage();
  // Clipboard access needs a secure context: serve the page from a loopback URL, answered in the browser.
  await page.route('http://127.0.0.1/**', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><html lang="en"><title>actions</title><main><test-actions></test-actions></main></html>' }));
  await page.goto('http://127.0.0.1/');
  await page.addScriptTag({ content: script });
  await page.evaluate((messages) => {
    (document.querySelector('test-actions') as unknown as { messages: unknown }).messages = messages;
  }, MESSAGES);
});

afterAll(async () => {
  await browser?.close();
});

const part = (name: string, id?: string) => page.locator(`test-actions ${id ? `[data-id="${id}"] ` : ''}[part~="${name}"]`);
const calls = () => page.evaluate(() => (document.querySelector('test-actions') as unknown as { calls: unknown[] }).calls);
const announcements = () => page.evaluate(() => (document.querySelector('test-actions') as unknown as { announcements: string[] }).announcements);

describe('message actions (Chromium)', () => {
  it('offers copy on every message, regenerate on the last reply, edit on the last user message, versions and ratings', async () => {
    expect(await part('message-actions').count()).toBe(4);
    expect(await part('message-actions').first().getAttribute('role')).toBe('group');
    expect(await part('message-actions').first().getAttribute('aria-label')).toBe('Message actions');
    expect(await part('copy').count()).toBe(4);
    expect(await part('regenerate').count()).toBe(1);
    expect(await part('regenerate', 'a2').count()).toBe(1);
    expect(await part('edit').count()).toBe(1);
    expect(await part('edit', 'u2').count()).toBe(1);
    expect(await part('feedback-up').count()).toBe(2);
    expect(await part('feedback-up', 'a2').getAttribute('aria-pressed')).toBe('true');
    expect(await part('feedback-down', 'a2').getAttribute('aria-pressed')).toBe('false');
    expect(await part('feedback-up', 'a1').getAttribute('aria-pressed')).toBe('false');
    expect(await part('version-label', 'a2').textContent()).toBe('2 / 3');
    expect(await part('version-label', 'a2').getAttribute('aria-label')).toBe('Version 2 of 3');
    expect(await part('version-label', 'u2').textContent()).toBe('1 / 2');
    expect(await part('version-previous', 'u2').isDisabled()).toBe(true);
    expect(await part('version-next', 'u2').isDisabled()).toBe(false);
    expect(await part('version-label', 'a1').count()).toBe(0);
    for (const name of ['copy', 'regenerate', 'edit', 'version-previous', 'version-next', 'feedback-up', 'feedback-down']) {
      const button = part(name).first();
      expect(await button.evaluate((element) => element.tagName), name).toBe('BUTTON');
      expect((await button.getAttribute('aria-label'))?.length, name).toBeGreaterThan(2);
    }
  });

  it('is axe clean with every action visible, the reason field and the editor open', async () => {
    expect(await findSeriousA11yViolations(page)).toEqual([]);
    await part('edit', 'u2').click();
    await part('feedback-down', 'a2').click();
    await part('feedback-reason').waitFor();
    await part('edit-input').waitFor();
    expect(await findSeriousA11yViolations(page)).toEqual([]);
  });

  it('copies the markdown source, says so on the button and to screen readers, then goes back', async () => {
    await part('copy', 'a1').click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('First **answer**');
    await expect.poll(() => part('copy', 'a1').getAttribute('aria-label')).toBe('Copied');
    expect(await part('copy', 'a1').getAttribute('class')).toContain('copied');
    expect(await announcements()).toEqual(['Copied']);
    await expect.poll(() => part('copy', 'a1').getAttribute('aria-label')).toBe('Copy');
  });

  it('is operable by keyboard: Enter and Space press buttons, the reason field sends on Enter and closes on Escape', async () => {
    await part('regenerate').focus();
    await page.keyboard.press('Enter');
    await part('version-previous', 'a2').focus();
    await page.keyboard.press('Space');
    await part('feedback-down', 'a2').focus();
    await page.keyboard.press('Space');
    await expect.poll(() => part('feedback-down', 'a2').getAttribute('aria-pressed')).toBe('true');
    expect(await part('feedback-up', 'a2').getAttribute('aria-pressed')).toBe('false');
    // The reason field comes next in the tab order.
    await page.keyboard.press('Tab');
    expect(await part('feedback-reason').evaluate((element) => element === (element.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await page.keyboard.type('Too vague');
    await page.keyboard.press('Enter');
    await expect.poll(() => part('feedback-reason').count()).toBe(0);
    expect(await calls()).toEqual([
      ['regenerate', 'a2'],
      ['showVersion', 'a2', -1],
      ['rate', 'a2', 'down', undefined],
      ['rate', 'a2', 'down', 'Too vague'],
    ]);
    expect(await announcements()).toEqual(['Marked as not helpful.']);
    // Pressing the pressed rating again takes it back; Escape closes a reason field without sending.
    await part('feedback-up', 'a1').click();
    await part('feedback-reason').focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => part('feedback-reason').count()).toBe(0);
    await part('feedback-down', 'a2').click();
    await expect.poll(() => part('feedback-down', 'a2').getAttribute('aria-pressed')).toBe('false');
    expect((await calls()).slice(4)).toEqual([
      ['rate', 'a1', 'up', undefined],
      ['rate', 'a2', null, undefined],
    ]);
    expect((await announcements()).slice(1)).toEqual(['Marked as helpful.', 'Feedback removed.']);
  });

  it('edits the last user message inline: Enter sends it again, Escape cancels, nothing while a reply streams', async () => {
    await part('edit', 'u2').click();
    const input = part('edit-input');
    expect(await input.inputValue()).toBe('Second question');
    expect(await input.getAttribute('aria-label')).toBe('Edit your message');
    await input.fill('Second question, better asked');
    await input.press('Enter');
    await expect.poll(() => part('edit-input').count()).toBe(0);
    await part('edit', 'u2').click();
    await part('edit-input').press('Escape');
    await expect.poll(() => part('edit-input').count()).toBe(0);
    expect(await calls()).toEqual([['edit', 'u2', 'Second question, better asked']]);
    await page.evaluate(() => {
      (document.querySelector('test-actions') as unknown as { isBusy: boolean }).isBusy = true;
    });
    await expect.poll(() => part('edit').count()).toBe(0);
    expect(await part('regenerate').count()).toBe(0);
    expect(await part('version-next', 'u2').isDisabled()).toBe(true);
  });
});
