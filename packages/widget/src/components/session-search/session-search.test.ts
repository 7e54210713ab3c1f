import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSeriousA11yViolations, openPage } from '@ai-chat/testkit';
import { saveScreenshot } from '../../testing/screenshots.js';
import { activeSessionId, parts, sendAndWait, startWidgetFixture, waitForReady, type WidgetFixture } from '../../testing/widget-fixture.js';

let fixture: WidgetFixture;

beforeAll(async () => {
  fixture = await startWidgetFixture();
});

afterAll(async () => {
  await fixture?.close();
});

describe('<ai-chat> session search in Chromium', () => {
  it('finds conversations from the dropdown’s search field, marks the match and opens the session at that message', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await sendAndWait(page, 'Tell me about pelicans please');
    const first = await activeSessionId(page);
    await page.evaluate(() => document.querySelector('ai-chat')!.newSession());
    await expect.poll(() => activeSessionId(page)).not.toBe(first);
    await sendAndWait(page, 'Something else entirely');
    await ui.picker.click();
    await ui.part('session-search').fill('pelicans');
    const results = ui.part('search-result');
    await expect.poll(() => results.count()).toBe(1);
    expect(await results.first().locator('mark').first().textContent()).toMatch(/pelican/i);
    expect(await ui.part('session-search').getAttribute('aria-label')).toBe('Search conversations');
    await saveScreenshot(ui.panel, 'search');
    expect(await findSeriousA11yViolations(page)).toEqual([]);
    await results.first().click();
    await expect.poll(() => activeSessionId(page)).toBe(first);
    await expect.poll(() => page.locator('ai-chat .found').count()).toBe(1);
    expect(await page.locator('ai-chat .found').textContent()).toContain('pelicans');
    await context.close();
  });

  it('opens a long conversation at a match further back than its latest page, and keeps it in view', async () => {
    const { context, page } = await openPage(fixture.browser, { viewport: { width: 800, height: 700 } });
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    // 31 questions and their replies (62 messages): the match is the first one, out of the latest page of 50.
    await page.evaluate(async () => {
      const token = localStorage.getItem(`ai-chat:token:${location.origin}`);
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' };
      const { session } = await (await fetch('/api/sessions', { method: 'POST', headers, body: JSON.stringify({ title: 'A long talk' }) })).json();
      const contents = ['Where do albatrosses nest?', ...Array.from({ length: 30 }, (_, index) => `Question number ${index + 2}`)];
      for (const content of contents) await fetch('/api/chat', { method: 'POST', headers, body: JSON.stringify({ sessionId: session.id, content }) });
    });
    await page.reload();
    await waitForReady(page);
    await page.evaluate(() => document.querySelector('ai-chat')!.newSession());
    await ui.picker.click();
    await ui.part('session-search').fill('albatross');
    const results = ui.part('search-result');
    await expect.poll(() => results.count()).toBe(1);
    await results.first().click();

    const found = page.locator('ai-chat .found');
    await expect.poll(() => found.count()).toBe(1);
    expect(await found.textContent()).toContain('Where do albatrosses nest?');
    const isInView = () => found.evaluate((node) => {
      const log = node.closest('.messages')!.getBoundingClientRect();
      const box = node.getBoundingClientRect();
      return box.bottom > log.top && box.top < log.bottom;
    });
    await expect.poll(isInView).toBe(true);
    await expect.poll(() => ui.part('jump').count()).toBe(1);
    // Every message of the conversation is loaded in order, the match first.
    await expect(ui.userMessages.count()).resolves.toBe(31);
    await expect(ui.userMessages.first().textContent()).resolves.toContain('albatrosses');
    await context.close();
  });
});
