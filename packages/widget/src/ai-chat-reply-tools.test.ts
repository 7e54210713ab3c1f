import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScenario, findSeriousA11yViolations, openPage, splitIntoChunks } from '@ai-chat/testkit';
import { saveScreenshot } from './testing/screenshots.js';
import { FAKE_MODEL, fetchApi, activeSessionId, parts, sendAndWait, startWidgetFixture, waitForReady, type WidgetFixture } from './testing/widget-fixture.js';

// Issue 14 in Chromium against a real server: starter prompts, copy, code highlighting loaded on demand, streaming
// markdown that never shows raw markers, and the actions under each message.
const STARTERS = [{ prompt: 'What can you do?', label: 'Capabilities' }, 'Tell me a joke'];
const REPLY = 'Here is **bold text** and `inline code` then _emphasis_ too.\n\n```ts\nconst answer: number = 42; // the answer\n```\n\nDone.';
const CHUNKS = splitIntoChunks(REPLY);

let fixture: WidgetFixture;

beforeAll(async () => {
  fixture = await startWidgetFixture({ env: { AI_CHAT_STARTERS: JSON.stringify(STARTERS) } });
});

afterAll(async () => {
  await fixture?.close();
});

describe('<ai-chat> reply tools (issue 14)', () => {
  it('offers the server’s starter prompts in an empty conversation; one click sends one', async () => {
    const { context, page, errors } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    const starters = ui.part('starter');
    await expect.poll(() => starters.allTextContents()).toEqual(['Capabilities', 'Tell me a joke']);
    expect(await ui.part('starters').getAttribute('role')).toBe('group');
    expect(await ui.part('starters').getAttribute('aria-label')).toBe('Suggestions');
    await saveScreenshot(ui.panel, 'starters');
    expect(await findSeriousA11yViolations(page)).toEqual([]);
    await starters.first().click();
    await expect.poll(() => ui.userMessages.first().textContent()).toContain('What can you do?');
    await ui.assistantMessages.first().and(page.locator(':not([data-status="streaming"])')).waitFor();
    expect(await ui.part('starter').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lets the page override the starters with the attribute (JSON) or the property, and show none with []', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const starters = parts(page).part('starter');
    await expect.poll(() => starters.count()).toBe(2);
    await page.evaluate(() => document.querySelector('ai-chat')!.setAttribute('starters', '["Only this", {"prompt": "Long prompt", "label": "Short"}, 7, ""]'));
    await expect.poll(() => starters.allTextContents()).toEqual(['Only this', 'Short']);
    await page.evaluate(() => {
      (document.querySelector('ai-chat') as unknown as { starters: unknown }).starters = [{ prompt: 'From the property' }];
    });
    await expect.poll(() => starters.allTextContents()).toEqual(['From the property']);
    await page.evaluate(() => document.querySelector('ai-chat')!.setAttribute('starters', '[]'));
    await expect.poll(() => starters.count()).toBe(0);
    await context.close();
  });

  it('streams markdown without raw markers, highlights code from a chunk loaded on first use, and copies replies', async () => {
    const { context, page, errors } = await openPage(fixture.browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: fixture.server.url });
    const chunks: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/widget/chunks/')) chunks.push(new URL(request.url()).pathname);
    });
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await ui.modelPicker.selectOption(FAKE_MODEL.id);
    expect(chunks.filter((path) => path.includes('/highlight-'))).toEqual([]);
    const partial = page.locator('ai-chat [part~="assistant"][data-status="streaming"]');
    // A reply cut at a known word (the fake vendor then sends nothing more) shows as its final form would, open
    // markup closed: bold without its asterisks, code without its fence.
    for (const [cut, check] of [
      ['**bold ', async () => expect(await partial.locator('strong').textContent()).toBe('bold')],
      ['`inline ', async () => expect(await partial.locator('p code').textContent()).toBe('inline')],
      ['number ', async () => expect(await partial.locator('pre code').textContent()).toBe('const answer: number ')],
    ] as const) {
      fixture.vendor.enqueue({ kind: 'hang', chunks: CHUNKS, afterChunks: CHUNKS.findIndex((_, index) => CHUNKS.slice(0, index + 1).join('').endsWith(cut)) + 1 });
      await ui.input.fill('Show me code');
      await ui.input.press('Enter');
      const word = cut.replace(/[^a-z]/g, '');
      await expect.poll(() => partial.locator('.content').textContent()).toContain(word);
      await check();
      expect(await partial.locator('.content').textContent()).not.toMatch(/\*\*|`|_emph/);
      await ui.stop.click();
      await ui.assistantMessages.last().and(page.locator('[data-status="stopped"]')).waitFor();
    }
    fixture.vendor.enqueue(fakeScenario.reply(REPLY));
    const reply = await sendAndWait(page, 'Show me code');

    // The highlighter chunk was fetched for the code block, and colours it from tokens.
    await expect.poll(() => chunks.filter((path) => /^\/widget\/chunks\/highlight-[\w-]+\.js$/.test(path)).length).toBe(1);
    const keyword = reply.locator('pre code span.t-keyword').first();
    await expect.poll(() => keyword.textContent()).toBe('const');
    const colours = await reply.locator('pre code').evaluate((code) => ({
      plain: getComputedStyle(code).color,
      keyword: getComputedStyle(code.querySelector('.t-keyword')!).color,
      comment: getComputedStyle(code.querySelector('.t-comment')!).color,
    }));
    expect(new Set(Object.values(colours)).size).toBe(3);

    // Copy puts the markdown source on the clipboard and says so.
    const copy = reply.locator('[part~="copy"]');
    expect(await copy.getAttribute('aria-label')).toBe('Copy');
    await copy.click();
    await expect.poll(() => copy.getAttribute('aria-label')).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(REPLY);
    await expect.poll(() => ui.part('announcer').textContent()).toContain('Copied');
    await saveScreenshot(ui.panel, 'code-highlighting-and-copy');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows the actions under finished messages, keyboard-reachable and axe clean', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await sendAndWait(page, 'Hello there');
    const actions = ui.part('message-actions');
    await expect.poll(() => actions.count()).toBe(2);
    const reply = ui.assistantMessages.first();
    for (const name of ['copy', 'regenerate', 'feedback-up', 'feedback-down']) {
      const button = reply.locator(`[part~="${name}"]`);
      expect(await button.count(), name).toBe(1);
      expect(await button.getAttribute('aria-label'), name).toBeTruthy();
    }
    expect(await reply.locator('[part~="feedback-up"]').getAttribute('aria-pressed')).toBe('false');
    expect(await page.locator('ai-chat .message-turn.user [part~="edit"]').count()).toBe(1);
    // Tab from the reply's Copy reaches Regenerate, then the ratings.
    await reply.locator('[part~="copy"]').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.querySelector('ai-chat')!.shadowRoot!.activeElement?.getAttribute('part'))).toBe('regenerate');
    expect(await findSeriousA11yViolations(page)).toEqual([]);
    await context.close();
  });

  it('rates a reply (stored, ai-feedback), regenerates it with the model picked now and steps between the versions', async () => {
    const { context, page, errors } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    await page.evaluate(() => {
      const events: unknown[] = [];
      (window as unknown as { feedback: unknown[] }).feedback = events;
      document.addEventListener('ai-feedback', (event) => events.push({ ...event.detail, composed: event.composed }));
    });
    const ui = parts(page);
    const first = await sendAndWait(page, 'Hello there');
    const firstText = await first.locator('.content').textContent();
    const down = first.locator('[part~="feedback-down"]');
    await down.click();
    await expect.poll(() => down.getAttribute('aria-pressed')).toBe('true');
    await ui.part('feedback-reason').fill('Too short');
    await ui.part('feedback-reason').press('Enter');
    const feedback = () => page.evaluate(() => (window as unknown as { feedback: unknown[] }).feedback);
    const id = await first.getAttribute('data-id');
    await expect.poll(feedback).toEqual([
      { messageId: id, rating: 'down', reason: undefined, composed: true },
      { messageId: id, rating: 'down', reason: 'Too short', composed: true },
    ]);
    const sessionId = await activeSessionId(page);
    const stored = await fetchApi<{ messages: Array<{ id: string; feedback?: { rating: string; reason?: string } }> }>(page, `/api/sessions/${sessionId}/messages`);
    expect(stored.messages.at(-1)?.feedback).toMatchObject({ rating: 'down', reason: 'Too short' });

    // Regenerate with the model picked now: a second version, the first kept.
    await ui.modelPicker.selectOption(FAKE_MODEL.id);
    fixture.vendor.enqueue(fakeScenario.reply('A second, longer answer.'));
    await first.locator('[part~="regenerate"]').click();
    const reply = ui.assistantMessages.last();
    await expect.poll(() => reply.locator('.content').textContent()).toBe('A second, longer answer.');
    await expect.poll(() => reply.locator('[part~="version-label"]').textContent()).toBe('2 / 2');
    expect(await reply.locator('.message-model').textContent()).toBe(FAKE_MODEL.label);
    expect(await reply.locator('[part~="feedback-down"]').getAttribute('aria-pressed')).toBe('false');
    await reply.locator('[part~="version-previous"]').click();
    await expect.poll(() => ui.assistantMessages.last().locator('[part~="version-label"]').textContent()).toBe('1 / 2');
    expect(await ui.assistantMessages.last().locator('.content').textContent()).toBe(firstText);
    expect(await ui.assistantMessages.last().locator('[part~="feedback-down"]').getAttribute('aria-pressed')).toBe('true');
    await saveScreenshot(ui.panel, 'versions-and-feedback');
    expect(await findSeriousA11yViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('edits the last user message inline and sends it again as a new version', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await sendAndWait(page, 'First wording');
    await page.locator('ai-chat .message-turn.user [part~="edit"]').click();
    await ui.part('edit-input').fill('Better wording');
    await ui.part('edit-input').press('Enter');
    await expect.poll(() => ui.userMessages.last().textContent()).toContain('Better wording');
    await ui.assistantMessages.last().and(page.locator(':not([data-status="streaming"])')).waitFor();
    await expect.poll(() => page.locator('ai-chat .message-turn.user [part~="version-label"]').textContent()).toBe('2 / 2');
    expect(await ui.userMessages.count()).toBe(1);
    await context.close();
  });
});
