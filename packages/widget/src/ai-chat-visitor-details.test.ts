import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScenario, openPage } from '@ai-chat/testkit';
import { watch } from './testing/page-watch.js';
import { FAKE_MODEL, parts, sendAndWait, sessionsOf, startWidgetFixture, waitForReady, type WidgetFixture } from './testing/widget-fixture.js';

// Issue 10: what the element shows is what happened. Each test here failed on the element before that issue.
// Here: keyboard paths in the session list, links that must not be links, and errors in plain sentences.

let fixture: WidgetFixture;

beforeAll(async () => {
  fixture = await startWidgetFixture();
});

afterAll(async () => {
  await fixture?.close();
});

describe('issue 10: small things a visitor notices (9)', () => {
  it('cancels a delete confirmation with Escape, and reaches rename and delete with Tab', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await sendAndWait(page, 'Keep me');
    const focusedPart = () => page.evaluate(() => document.querySelector('ai-chat')?.shadowRoot?.activeElement?.getAttribute('part') ?? null);

    await ui.picker.focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(focusedPart).toBe('session-item');
    await page.keyboard.press('Tab');
    await expect.poll(focusedPart).toContain('session-rename');
    await page.keyboard.press('Enter');
    await ui.part('session-rename-input').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(focusedPart).toBe('session-item');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect.poll(focusedPart).toContain('session-delete');
    await page.keyboard.press('Enter');
    await ui.part('session-delete-confirm').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => ui.part('session-delete-confirm').count()).toBe(0);
    await expect(ui.list.isVisible()).resolves.toBe(true);
    await expect.poll(focusedPart).toBe('session-item');
    expect((await sessionsOf(page)).map((session) => session.title)).toEqual(['Keep me']);
    await context.close();
  });

  it('labels the messages log "Messages" and shows a blocked javascript: or data: link as plain text', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await expect(ui.messages.getAttribute('aria-label')).resolves.toBe('Messages');
    await ui.modelPicker.selectOption(FAKE_MODEL.id);
    fixture.vendor.enqueue(fakeScenario.reply('Try [click here](javascript:alert(1)) or [this](data:text/html,x) or [docs](https://example.com).'));
    const reply = await sendAndWait(page, 'Links please');
    const content = reply.locator('.content');
    await expect(content.textContent()).resolves.toBe('Try click here or this or docs.');
    await expect(content.locator('a').count()).resolves.toBe(1);
    const colours = await content.evaluate((node) => {
      const colourOf = (text: string) => {
        const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
        for (let current = walker.nextNode(); current; current = walker.nextNode()) {
          if (current.textContent === text) return getComputedStyle(current.parentElement!).color;
        }
        return null;
      };
      return { text: getComputedStyle(node.querySelector('p')!).color, blocked: colourOf('click here'), data: colourOf('this'), link: colourOf('docs') };
    });
    expect(colours.blocked).toBe(colours.text);
    expect(colours.data).toBe(colours.text);
    expect(colours.link).not.toBe(colours.text);
    await context.close();
  });

  it('shows visitors plain sentences for errors and gives the developer the detail in ai-error', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const { seen } = await watch(page);
    const ui = parts(page);
    await ui.modelPicker.selectOption(FAKE_MODEL.id);
    fixture.vendor.enqueue(fakeScenario.httpError(500), fakeScenario.httpError(500));
    const failed = await sendAndWait(page, 'Fail at the provider');
    const notice = await failed.locator('[part~="error"]').textContent();
    expect(notice).toMatch(/could not answer/);
    const developer = (await seen()).errors.at(-1)!;
    expect(developer.type).toMatch(/^provider_/);
    expect(notice).not.toContain(developer.message);

    await page.route('**/api/chat', (route) =>
      route.fulfill({ status: 429, headers: { 'retry-after': '0' }, json: { error: { type: 'rate_limited', message: 'RATE_LIMIT_MAX (30 per 60000 ms) exceeded for 127.0.0.1', details: [], requestId: 'req-2' } } }),
    );
    await ui.modelPicker.selectOption('demo');
    await ui.input.fill('Too fast');
    await ui.input.press('Enter');
    const banner = ui.part('error').filter({ hasText: 'too quickly' });
    await banner.waitFor();
    await expect(banner.textContent()).resolves.not.toContain('RATE_LIMIT');
    expect((await seen()).errors.at(-1)).toMatchObject({ type: 'rate_limited', message: expect.stringContaining('RATE_LIMIT_MAX') });
    await context.close();
  });
});
