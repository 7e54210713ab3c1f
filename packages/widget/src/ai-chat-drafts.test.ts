import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage } from '@ai-chat/testkit';
import { watch } from './testing/page-watch.js';
import { parts, sendAndWait, startWidgetFixture, waitForReady, type WidgetFixture } from './testing/widget-fixture.js';

// Issue 10: what the element shows is what happened. Each test here failed on the element before that issue.
// Here: the length limit, failed sends and unsent drafts never cost the visitor what they typed.

let fixture: WidgetFixture;

beforeAll(async () => {
  fixture = await startWidgetFixture();
});

afterAll(async () => {
  await fixture?.close();
});

describe('issue 10: nothing typed is ever lost (2)', () => {
  it('learns the limit from GET /api/config, counts down near it, and refuses over it with a sentence, keeping the text', async () => {
    const { context, page } = await openPage(fixture.browser);
    // A deployment with a smaller limit than this version's default: the element must take the server's word.
    await page.route('**/api/config', async (route) => {
      const response = await route.fetch();
      const config = await response.json();
      await route.fulfill({ response, json: { ...config, limits: { ...config.limits, contentMaxLength: 500 } } });
    });
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const { chats, seen } = await watch(page);
    const ui = parts(page);
    await ui.input.fill('x'.repeat(300));
    await expect(ui.part('counter').count()).resolves.toBe(0);
    await ui.input.fill('x'.repeat(450));
    await expect.poll(() => ui.part('counter').textContent()).toContain('50 characters left');

    const tooLong = 'y'.repeat(501);
    await ui.input.fill(tooLong);
    await expect.poll(() => ui.part('counter').textContent()).toContain('1 characters too many');
    await ui.input.press('Enter');
    await ui.part('error').waitFor();
    const shown = await ui.part('error').textContent();
    expect(shown).toMatch(/too long/i);
    expect(shown).not.toContain('content:');
    await expect(ui.input.inputValue()).resolves.toBe(tooLong);
    await expect(ui.userMessages.count()).resolves.toBe(0);
    expect(chats).toEqual([]);
    expect((await seen()).errors).toEqual([expect.objectContaining({ name: 'MessageTooLongError' })]);

    // The real limit, 100,001 characters typed: refused the same way, nothing cleared.
    await page.unroute('**/api/config');
    await page.reload();
    await waitForReady(page);
    const huge = 'z'.repeat(100_001);
    await ui.input.fill(huge);
    await expect.poll(() => ui.part('counter').textContent()).toContain('68,001');
    await ui.input.press('Enter');
    await ui.part('error').waitFor();
    await expect(ui.part('error').textContent()).resolves.not.toContain('must be at most');
    await expect(ui.input.inputValue()).resolves.toBe(huge);
    await expect(ui.userMessages.count()).resolves.toBe(0);
    await context.close();
  });

  it('keeps the draft on a failed send: the text comes back into the composer, with a sentence and no dead Retry', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const { seen } = await watch(page);
    const ui = parts(page);
    await sendAndWait(page, 'A first message that works');
    await page.route('**/api/chat', (route) =>
      route.fulfill({ status: 400, json: { error: { type: 'invalid_request', message: 'content: must be at most 32000 characters', details: [{ path: 'content', message: 'too long' }], requestId: 'req-1' } } }),
    );
    await ui.input.fill('Words I do not want to type again');
    await ui.input.press('Enter');
    await expect.poll(() => ui.input.inputValue()).toBe('Words I do not want to type again');
    await ui.part('error').waitFor();
    await expect(ui.part('error').first().textContent()).resolves.not.toContain('content:');
    await expect(ui.userMessages.count()).resolves.toBe(1);
    await expect(ui.part('retry').count()).resolves.toBe(0);
    // The developer still gets the server's own words.
    expect((await seen()).errors.at(-1)).toMatchObject({ type: 'invalid_request', message: 'content: must be at most 32000 characters' });

    // Offline: the same.
    await page.unroute('**/api/chat');
    await page.route('**/api/chat', (route) => route.abort('internetdisconnected'));
    await ui.input.press('Enter');
    await expect.poll(async () => (await seen()).errors.length).toBeGreaterThan(1);
    await expect.poll(() => ui.input.inputValue()).toBe('Words I do not want to type again');
    await expect(ui.userMessages.count()).resolves.toBe(1);
    await page.unroute('**/api/chat');
    await ui.input.press('Enter');
    await ui.userMessages.filter({ hasText: 'Words I do not want to type again' }).waitFor();
    await expect(ui.input.inputValue()).resolves.toBe('');
    await context.close();
  });

  it('keeps an unsent draft per session across a reload, and for a new conversation', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await sendAndWait(page, 'Session one');
    await ui.newSession.click();
    await sendAndWait(page, 'Session two');
    await ui.input.fill('Unsent in session two');
    await ui.picker.click();
    await ui.items.filter({ hasText: 'Session one' }).click();
    await ui.userMessages.filter({ hasText: 'Session one' }).waitFor();
    await expect(ui.input.inputValue()).resolves.toBe('');
    await ui.input.fill('Unsent in session one');

    await page.reload();
    await waitForReady(page);
    await ui.userMessages.filter({ hasText: 'Session one' }).waitFor();
    await expect.poll(() => ui.input.inputValue()).toBe('Unsent in session one');
    await ui.picker.click();
    await ui.items.filter({ hasText: 'Session two' }).click();
    await ui.userMessages.filter({ hasText: 'Session two' }).waitFor();
    await expect.poll(() => ui.input.inputValue()).toBe('Unsent in session two');

    await ui.newSession.click();
    await ui.part('empty').waitFor();
    await ui.input.fill('The first words of a new one');
    await page.reload();
    await waitForReady(page);
    await expect.poll(() => ui.input.inputValue()).toBe('The first words of a new one');
    await context.close();
  });
});
