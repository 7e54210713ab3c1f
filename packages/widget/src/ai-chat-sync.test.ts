import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScenario, openPage, startTestServer, type TestServer } from '@ai-chat/testkit';
import { activeSessionId, FAKE_MODEL, fetchApi, parts, sendAndWait, startWidgetFixture, waitForReady, type WidgetFixture } from './testing/widget-fixture.js';

// Issue 10 (4): every view of one visitor agrees, live: the elements of a page and the tabs of a browser.

let fixture: WidgetFixture;
let second: TestServer;

beforeAll(async () => {
  [fixture, second] = await Promise.all([startWidgetFixture(), startTestServer()]);
});

afterAll(async () => {
  await Promise.all([fixture?.close(), second?.close()]);
});

const slowAnswer = (word: string, length = 80) => Array.from({ length }, (_, index) => `${word}${index}`).join(' ');

/** The demo page with only the given markup in its body (the element is already defined by the page's script). */
async function showOnly(page: Page, markup: string) {
  await page.goto(fixture.server.url);
  await page.evaluate((markup) => (document.body.innerHTML = markup), markup);
}

/** A second tab of the same browser (same storage, same BroadcastChannel scope), on the demo page. */
async function openTab(context: BrowserContext) {
  const page = await context.newPage();
  await page.goto(fixture.server.url);
  await waitForReady(page);
  return page;
}

describe('issue 10: every view of one visitor agrees, live (4)', () => {
  it('shows a session made, renamed or deleted in one element of the page in the other (inline and launcher)', async () => {
    const { context, page, errors } = await openPage(fixture.browser);
    await showOnly(page, '<div style="width:560px;height:600px"><ai-chat id="inline"></ai-chat></div><ai-chat id="launcher" mode="launcher" open></ai-chat>');
    await Promise.all([waitForReady(page, '#inline'), waitForReady(page, '#launcher')]);
    const inline = parts(page, '#inline');
    const launcher = parts(page, '#launcher');
    await launcher.picker.click();
    await expect(launcher.part('session-dropdown').textContent()).resolves.toContain('No conversations yet');
    await page.keyboard.press('Escape');

    await sendAndWait(page, 'Made in the inline chat', '#inline');
    await launcher.picker.click();
    await launcher.items.filter({ hasText: 'Made in the inline chat' }).waitFor();
    await page.keyboard.press('Escape');

    await inline.picker.click();
    await inline.items.first().hover();
    await inline.items.first().locator('[part~="session-rename"]').click();
    await inline.part('session-rename-input').fill('Renamed inline');
    await inline.part('session-rename-input').press('Enter');
    await launcher.picker.click();
    await launcher.items.filter({ hasText: 'Renamed inline' }).waitFor();
    await page.keyboard.press('Escape');

    await inline.picker.click();
    await inline.items.first().hover();
    await inline.items.first().locator('[part~="session-delete"]').click();
    await inline.part('session-delete-confirm').click();
    await launcher.picker.click();
    await expect.poll(() => launcher.items.count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 45_000);

  it('shows another tab’s new session, its messages and its reply as it streams, without a reload', async () => {
    const { context, page: first } = await openPage(fixture.browser);
    await first.goto(fixture.server.url);
    await waitForReady(first);
    await sendAndWait(first, 'Shared conversation');
    const other = await openTab(context);
    const one = parts(first);
    const two = parts(other);
    await two.userMessages.filter({ hasText: 'Shared conversation' }).waitFor();

    await one.modelPicker.selectOption(FAKE_MODEL.id);
    const answer = slowAnswer('live');
    fixture.vendor.enqueue(fakeScenario.reply(answer, { chunkDelayMs: 40 }));
    await one.input.fill('Stream this into the other tab');
    await one.input.press('Enter');
    // The other tab shows the question and the reply while it is written, then the whole of it.
    await two.userMessages.filter({ hasText: 'Stream this into the other tab' }).waitFor();
    await two.assistantMessages.nth(1).and(other.locator('[data-status="streaming"]')).locator('.content', { hasText: 'live' }).waitFor();
    await two.assistantMessages.nth(1).and(other.locator('[data-status="complete"]')).waitFor();
    await expect(two.assistantMessages.nth(1).locator('.content').textContent()).resolves.toBe(answer);
    await expect(two.userMessages.count()).resolves.toBe(2);

    // A new session in the first tab appears in the second one's dropdown.
    await one.newSession.click();
    await sendAndWait(first, 'A brand new one');
    await two.picker.click();
    await two.items.filter({ hasText: 'A brand new one' }).waitFor();
    await context.close();
  }, 45_000);

  it('refetches what changed elsewhere when the dropdown opens or the page becomes visible again', async () => {
    // Two browsers of one visitor (the same token, no shared channel), as a phone and a laptop of a signed-in user.
    const { context: laptop, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    await sendAndWait(page, 'On the laptop');
    const storage = await laptop.storageState();
    const { context: phone, page: phonePage } = await openPage(fixture.browser, { storageState: storage });
    await phonePage.goto(fixture.server.url);
    await waitForReady(phonePage);
    const ui = parts(page);
    await ui.picker.click();
    await page.keyboard.press('Escape');
    await sendAndWait(phonePage, 'From the phone, same session');
    const phone2 = parts(phonePage);
    await phone2.newSession.click();
    await sendAndWait(phonePage, 'A new one on the phone');

    // Opening the dropdown on the laptop shows the phone's new session.
    await ui.picker.click();
    await ui.items.filter({ hasText: 'A new one on the phone' }).waitFor();
    await page.keyboard.press('Escape');
    // Coming back to the laptop's page shows the messages the phone added to the session on screen.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
      Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await ui.userMessages.filter({ hasText: 'From the phone, same session' }).waitFor();
    await Promise.all([laptop.close(), phone.close()]);
  }, 45_000);

  it('follows a reply already streaming in the session, then sends, instead of failing with a conflict', async () => {
    const { context: laptop, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    await sendAndWait(page, 'One session, two browsers');
    const { context: phone, page: phonePage } = await openPage(fixture.browser, { storageState: await laptop.storageState() });
    await phonePage.goto(fixture.server.url);
    await waitForReady(phonePage);
    const onLaptop = parts(page);
    const onPhone = parts(phonePage);
    await onPhone.userMessages.filter({ hasText: 'One session, two browsers' }).waitFor();

    await onLaptop.modelPicker.selectOption(FAKE_MODEL.id);
    const answer = slowAnswer('busy', 60);
    fixture.vendor.enqueue(fakeScenario.reply(answer, { chunkDelayMs: 40 }));
    await onLaptop.input.fill('A long one from the laptop');
    await onLaptop.input.press('Enter');
    await onLaptop.assistantMessages.nth(1).locator('.content', { hasText: 'busy2' }).waitFor();

    // The phone has not heard of that reply: its send meets it (409), follows it to its end, then goes out.
    await onPhone.input.fill('Meanwhile on the phone');
    await onPhone.input.press('Enter');
    await onPhone.assistantMessages.filter({ hasText: 'busy59' }).waitFor();
    await onPhone.userMessages.filter({ hasText: 'Meanwhile on the phone' }).waitFor();
    await onPhone.assistantMessages.nth(2).and(phonePage.locator('[data-status="complete"]')).waitFor();
    await expect(onPhone.part('error').count()).resolves.toBe(0);
    const { messages: stored } = await fetchApi<{ messages: Array<{ role: string; status: string; content: string }> }>(phonePage, `/api/sessions/${await activeSessionId(phonePage)}/messages`);
    expect(stored.map(({ role, status }) => `${role}:${status}`)).toEqual(Array(3).fill(['user:complete', 'assistant:complete']).flat());
    expect(stored.map((message) => message.content).filter((_, index) => index % 2 === 0)).toEqual(['One session, two browsers', 'A long one from the laptop', 'Meanwhile on the phone']);
    expect(stored[3]!.content).toBe(answer);
    await expect(onPhone.input.inputValue()).resolves.toBe('');
    await Promise.all([laptop.close(), phone.close()]);
  }, 45_000);

  it('tells the views of the same visitor of the same server, and no other', async () => {
    const { context, page } = await openPage(fixture.browser);
    // One page, two visitors: the same visitor's inline chat and launcher on one server, another visitor on another.
    await showOnly(page, `<div style="display:flex;height:600px"><ai-chat id="mine" server="${fixture.server.url}"></ai-chat>
      <ai-chat id="theirs" server="${second.url}"></ai-chat></div><ai-chat id="also-mine" mode="launcher" open server="${fixture.server.url}"></ai-chat>`);
    await Promise.all(['#mine', '#theirs', '#also-mine'].map((host) => waitForReady(page, host)));
    await sendAndWait(page, 'Only mine', '#mine');
    const alsoMine = parts(page, '#also-mine');
    await alsoMine.picker.click();
    await alsoMine.items.filter({ hasText: 'Only mine' }).waitFor();
    await page.keyboard.press('Escape');
    const theirs = parts(page, '#theirs');
    await theirs.picker.click();
    await expect(theirs.part('session-dropdown').textContent()).resolves.toContain('No conversations yet');
    expect((await fetchApi<{ sessions: unknown[] }>(page, '/api/sessions', second.url)).sessions).toEqual([]);
    await context.close();
  });
});
