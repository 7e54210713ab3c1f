import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScenario, openPage } from '@ai-chat/testkit';
import { FAKE_MODEL, parts, startWidgetFixture, waitForReady, type WidgetFixture } from '../../testing/widget-fixture.js';

let fixture: WidgetFixture;

beforeAll(async () => {
  fixture = await startWidgetFixture();
});

afterAll(async () => {
  await fixture?.close();
});

describe('<ai-chat> composer in Chromium', () => {
  it('never sends on Enter during an IME composition, and sends once it is committed', async () => {
    const { context, page } = await openPage(fixture.browser);
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/chat')) posts.push(request.url());
    });
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await ui.input.fill('こんにちは');
    const enter = (init: { isComposing?: boolean; keyCode?: number }) =>
      ui.input.evaluate((input, init) => input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true, composed: true, cancelable: true, ...init })), init);
    // A browser marks the Enter that picks a candidate as composing; some send keyCode 229 right after the commit.
    await expect(enter({ isComposing: true })).resolves.toBe(true);
    await ui.input.dispatchEvent('compositionstart');
    await expect(enter({})).resolves.toBe(true);
    await ui.input.dispatchEvent('compositionend');
    await expect(enter({ keyCode: 229 })).resolves.toBe(true);
    await page.waitForTimeout(150);
    expect(posts).toEqual([]);
    await expect(ui.userMessages.count()).resolves.toBe(0);
    await expect(ui.input.inputValue()).resolves.toBe('こんにちは');

    // A plain Enter after the composition sends, and Enter's default (a new line) is prevented.
    await expect(enter({})).resolves.toBe(false);
    await ui.userMessages.filter({ hasText: 'こんにちは' }).waitFor();
    expect(posts).toHaveLength(1);
    await expect(ui.input.inputValue()).resolves.toBe('');
    await context.close();
  });

  it('stops a reply mid-stream and keeps what was written', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await ui.modelPicker.selectOption(FAKE_MODEL.id);
    fixture.vendor.enqueue(fakeScenario.reply(Array.from({ length: 200 }, (_, index) => `word${index}`).join(' '), { chunkDelayMs: 40 }));
    await ui.input.fill('Tell me a long story');
    await ui.input.press('Enter');
    const reply = ui.assistantMessages.first();
    await reply.locator('.content').filter({ hasText: 'word3' }).waitFor();
    await ui.stop.click();
    await reply.and(page.locator('[data-status="stopped"]')).waitFor();
    await expect(reply.textContent()).resolves.toContain('Stopped');
    const text = await reply.locator('.content').textContent();
    expect(text).toContain('word3');
    expect(text).not.toContain('word199');
    await expect(ui.send.isVisible()).resolves.toBe(true);
    await context.close();
  });
});
