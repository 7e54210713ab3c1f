import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage } from '@ai-chat/testkit';
import { fetchApi, parts, sendAndWait, startWidgetFixture, waitForReady, type WidgetFixture } from '../../testing/widget-fixture.js';

let fixture: WidgetFixture;

beforeAll(async () => {
  fixture = await startWidgetFixture();
});

afterAll(async () => {
  await fixture?.close();
});

describe('<ai-chat> session picker in Chromium', () => {
  it('renames and deletes sessions from the dropdown', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await sendAndWait(page, 'Keep this one');
    await ui.newSession.click();
    await ui.part('empty').waitFor();
    await sendAndWait(page, 'Delete this one');

    await ui.picker.click();
    await ui.items.nth(1).hover();
    await ui.items.nth(1).locator('[part~="session-rename"]').click();
    const title = ui.part('session-rename-input');
    await title.fill('Renamed conversation');
    await title.press('Enter');
    await ui.items.filter({ hasText: 'Renamed conversation' }).waitFor();

    await ui.items.nth(0).hover();
    await ui.items.nth(0).locator('[part~="session-delete"]').click();
    await ui.part('session-delete-confirm').click();
    await expect.poll(() => ui.items.count()).toBe(1);
    await expect(ui.items.first().getAttribute('aria-selected')).resolves.toBe('true');
    await expect(ui.items.first().textContent()).resolves.toContain('Renamed conversation');

    await page.reload();
    await waitForReady(page);
    await ui.picker.click();
    await expect(ui.items.count()).resolves.toBe(1);
    await expect(ui.items.first().textContent()).resolves.toContain('Renamed conversation');
    await context.close();
  });

  it('works from the keyboard alone: arrows, Enter, Escape, focus back on the picker', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await sendAndWait(page, 'Alpha session');
    await ui.newSession.click();
    await ui.part('empty').waitFor();
    await sendAndWait(page, 'Beta session');

    const focusedPart = () => page.evaluate(() => document.querySelector('ai-chat')?.shadowRoot?.activeElement?.getAttribute('part') ?? null);
    await ui.picker.focus();
    await page.keyboard.press('ArrowDown');
    await ui.list.waitFor();
    await expect(focusedPart()).resolves.toBe('session-item');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(ui.list.isVisible()).resolves.toBe(false);
    await expect(focusedPart()).resolves.toBe('session-picker');
    await ui.userMessages.filter({ hasText: 'Alpha session' }).waitFor();

    await page.keyboard.press('Enter');
    await ui.list.waitFor();
    await page.keyboard.press('ArrowDown');
    await expect(ui.items.nth(1).getAttribute('aria-selected')).resolves.toBe('true');
    await page.keyboard.press('Escape');
    await expect(ui.list.isVisible()).resolves.toBe(false);
    await expect(focusedPart()).resolves.toBe('session-picker');

    await ui.picker.click();
    await page.mouse.click(5, 5);
    await expect(ui.list.isVisible()).resolves.toBe(false);
    await context.close();
  });

  it('formats session dates in the element’s locale (de, then fr), relative and exact', async () => {
    const { context, page } = await openPage(fixture.browser, { timezoneId: 'UTC' });
    await page.clock.install();
    await page.goto(fixture.server.url);
    await page.evaluate(() => document.querySelector('ai-chat')!.setAttribute('locale', 'de'));
    await waitForReady(page);
    const ui = parts(page);
    await sendAndWait(page, 'Guten Tag');
    const { sessions } = await fetchApi<{ sessions: Array<{ lastMessage: { createdAt: string } }> }>(page, '/api/sessions');
    const when = new Date(sessions[0]!.lastMessage.createdAt);
    const exact = (locale: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(when);

    await page.clock.fastForward('02:00:00');
    await ui.picker.click();
    const time = ui.items.first().locator('time');
    await expect(time.textContent()).resolves.toBe('vor 2 Stunden');
    await expect(time.getAttribute('title')).resolves.toBe(exact('de'));
    await page.keyboard.press('Escape');

    await page.evaluate(() => document.querySelector('ai-chat')!.setAttribute('locale', 'fr'));
    await ui.picker.click();
    await expect(time.textContent()).resolves.toBe('il y a 2 heures');
    await expect(time.getAttribute('title')).resolves.toBe(exact('fr'));
    expect(exact('fr')).not.toBe(exact('de'));
    await context.close();
  });
});
