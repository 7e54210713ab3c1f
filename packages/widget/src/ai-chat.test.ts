import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScenario, openPage } from '@ai-chat/testkit';
import { activeSessionId, FAKE_MODEL, fetchApi, parts, sendAndWait, startWidgetFixture, waitForReady, type WidgetFixture } from './testing/widget-fixture.js';

let fixture: WidgetFixture;

beforeAll(async () => {
  fixture = await startWidgetFixture();
});

afterAll(async () => {
  await fixture?.close();
});

describe('<ai-chat> against a real server', () => {
  it('a first visit can type at once, creates a visitor and a session, and streams a reply', async () => {
    const { context, page, errors } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await expect(ui.part('empty').textContent()).resolves.toContain('How can I help?');
    await expect(ui.send.isDisabled()).resolves.toBe(true);

    const reply = await sendAndWait(page, 'Hello there');
    await expect(ui.userMessages.allTextContents()).resolves.toEqual([expect.stringContaining('Hello there')]);
    await expect(reply.getAttribute('data-status')).resolves.toBe('complete');
    expect((await reply.locator('.content').textContent())?.length).toBeGreaterThan(20);
    await expect(ui.picker.textContent()).resolves.toContain('Hello there');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('keeps two sessions with their own models, counts, previews and history, across a reload', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await ui.modelPicker.selectOption('demo');
    await sendAndWait(page, 'First question about demo');

    await ui.modelPicker.selectOption(FAKE_MODEL.id);
    await ui.newSession.click();
    await ui.part('empty').waitFor();
    fixture.vendor.enqueue(fakeScenario.reply('The fake model answers here.'));
    const reply = await sendAndWait(page, 'Second question for fake');
    await expect(reply.textContent()).resolves.toContain(FAKE_MODEL.label);
    await expect(reply.textContent()).resolves.toContain('The fake model answers here.');

    await ui.picker.click();
    await expect(ui.items.count()).resolves.toBe(2);
    const [newest, oldest] = [ui.items.nth(0), ui.items.nth(1)];
    await expect(newest.getAttribute('aria-selected')).resolves.toBe('true');
    await expect(oldest.getAttribute('aria-selected')).resolves.toBe('false');
    const newestText = await newest.textContent();
    expect(newestText).toContain('Second question for fake');
    expect(newestText).toContain(FAKE_MODEL.label);
    expect(newestText).toContain('2 messages');
    expect(newestText).toContain('The fake model answers here.');
    const oldestText = await oldest.textContent();
    expect(oldestText).toContain('First question about demo');
    expect(oldestText).toContain('Demo (offline)');
    expect(oldestText).toContain('2 messages');
    await expect(newest.locator('time').getAttribute('title')).resolves.toMatch(/\d/);

    await oldest.click();
    await expect(ui.list.isVisible()).resolves.toBe(false);
    await ui.userMessages.filter({ hasText: 'First question about demo' }).waitFor();
    await expect(ui.userMessages.allTextContents()).resolves.toEqual([expect.stringContaining('First question about demo')]);

    await page.reload();
    await waitForReady(page);
    await ui.userMessages.first().waitFor();
    await expect(ui.picker.textContent()).resolves.toContain('First question about demo');
    await expect(ui.userMessages.allTextContents()).resolves.toEqual([expect.stringContaining('First question about demo')]);
    await ui.picker.click();
    await expect(ui.items.count()).resolves.toBe(2);
    await expect(ui.items.nth(1).getAttribute('aria-selected')).resolves.toBe('true');
    await context.close();
  });

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

  it('shows a provider error on the reply; Retry streams the new answer in its place with the same clientMessageId', async () => {
    const { context, page } = await openPage(fixture.browser);
    const sent: Array<{ content: string; clientMessageId: string }> = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/chat')) sent.push(request.postDataJSON());
    });
    await page.goto(fixture.server.url);
    await page.evaluate(() => {
      document.querySelector('ai-chat')?.addEventListener('ai-error', (event) => ((window as unknown as { aiErrors: unknown[] }).aiErrors ??= []).push(event.type));
    });
    await waitForReady(page);
    const ui = parts(page);
    await ui.modelPicker.selectOption(FAKE_MODEL.id);
    // The server tries the vendor twice (one early retry) before the reply fails.
    fixture.vendor.enqueue(fakeScenario.httpError(500), fakeScenario.httpError(500));
    const failed = await sendAndWait(page, 'This will fail first');
    await expect(failed.getAttribute('data-status')).resolves.toBe('error');
    await expect(failed.locator('[part~="error"]').isVisible()).resolves.toBe(true);
    await expect(page.evaluate(() => (window as unknown as { aiErrors?: unknown[] }).aiErrors?.length ?? 0)).resolves.toBeGreaterThan(0);
    const failedId = await failed.getAttribute('data-id');

    const answer = Array.from({ length: 30 }, (_, index) => `retry${index}`).join(' ');
    fixture.vendor.enqueue(fakeScenario.reply(answer, { chunkDelayMs: 25 }));
    await failed.locator('[part~="retry"]').click();
    // The same message element streams the new answer: no second reply, no second question.
    const retried = page.locator(`ai-chat [part~="assistant"][data-id="${failedId}"]`);
    await retried.and(page.locator('[data-status="streaming"]')).locator('.content', { hasText: 'retry3' }).waitFor();
    await expect(retried.locator('[part~="error"]').count()).resolves.toBe(0);
    await retried.and(page.locator('[data-status="complete"]')).waitFor();
    await expect(retried.locator('.content').textContent()).resolves.toBe(answer);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual(sent[0]);
    await expect(ui.userMessages.allTextContents()).resolves.toEqual([expect.stringContaining('This will fail first')]);
    await expect(ui.assistantMessages.count()).resolves.toBe(1);

    const sessionId = await activeSessionId(page);
    const stored = await fetchApi<{ messages: Array<{ id: string; role: string; status: string; content: string }> }>(page, `/api/sessions/${sessionId}/messages`);
    expect(stored.messages.map(({ role, status }) => `${role}:${status}`)).toEqual(['user:complete', 'assistant:complete']);
    expect(stored.messages[1]).toMatchObject({ id: failedId, content: answer });
    await page.reload();
    await waitForReady(page);
    await ui.userMessages.first().waitFor();
    await expect(ui.userMessages.count()).resolves.toBe(1);
    await expect(ui.assistantMessages.count()).resolves.toBe(1);
    await context.close();
  });

  it('offers Retry only on the session’s last reply', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await ui.modelPicker.selectOption(FAKE_MODEL.id);
    fixture.vendor.enqueue(fakeScenario.httpError(500), fakeScenario.httpError(500));
    const failed = await sendAndWait(page, 'This one fails');
    await expect(failed.locator('[part~="retry"]').count()).resolves.toBe(1);
    fixture.vendor.enqueue(fakeScenario.reply('Fine this time.'));
    const next = await sendAndWait(page, 'This one works');
    await expect(next.getAttribute('data-status')).resolves.toBe('complete');
    // The failed reply still says it failed, but a retry there would not be its session's last reply.
    await expect(failed.locator('[part~="error"]').isVisible()).resolves.toBe(true);
    await expect(failed.locator('[part~="retry"]').count()).resolves.toBe(0);

    fixture.vendor.enqueue(fakeScenario.reply(Array.from({ length: 200 }, (_, index) => `word${index}`).join(' '), { chunkDelayMs: 30 }));
    await ui.input.fill('A long one to stop');
    await ui.input.press('Enter');
    const stopped = ui.assistantMessages.nth(2);
    await stopped.locator('.content', { hasText: 'word2' }).waitFor();
    await ui.stop.click();
    await stopped.and(page.locator('[data-status="stopped"]')).waitFor();
    await expect(stopped.locator('[part~="retry"]').count()).resolves.toBe(1);
    await expect(ui.part('retry').count()).resolves.toBe(1);
    await context.close();
  });

  it('follows a reply that was being written when the page reloaded, until it is complete', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await ui.modelPicker.selectOption(FAKE_MODEL.id);
    const answer = Array.from({ length: 60 }, (_, index) => `slow${index}`).join(' ');
    fixture.vendor.enqueue(fakeScenario.reply(answer, { chunkDelayMs: 30 }));
    await ui.input.fill('Write slowly please');
    await ui.input.press('Enter');
    await ui.assistantMessages.first().locator('.content', { hasText: 'slow5' }).waitFor();

    await page.reload();
    await waitForReady(page);
    const reply = ui.assistantMessages.first();
    // Joined midway: the text so far is there at once, the visitor can stop it, and the rest streams in.
    await reply.and(page.locator('[data-status="streaming"]')).locator('.content', { hasText: 'slow5' }).waitFor();
    await expect(ui.stop.isVisible()).resolves.toBe(true);
    await reply.and(page.locator('[data-status="complete"]')).waitFor({ timeout: 15_000 });
    await expect(reply.locator('.content').textContent()).resolves.toBe(answer);
    await expect(ui.userMessages.count()).resolves.toBe(1);
    await expect(ui.send.isVisible()).resolves.toBe(true);

    const stored = await fetchApi<{ messages: Array<{ role: string; status: string; content: string }> }>(page, `/api/sessions/${await activeSessionId(page)}/messages`);
    expect(stored.messages.map(({ role, status }) => `${role}:${status}`)).toEqual(['user:complete', 'assistant:complete']);
    expect(stored.messages[1]?.content).toBe(answer);
    await context.close();
  });

  it('pages in sessions past the first 20 as the dropdown scrolls, and older messages as the log scrolls up', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await sendAndWait(page, 'The oldest session');
    await page.evaluate(async () => {
      const token = localStorage.getItem(`ai-chat:token:${location.origin}`);
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      await Promise.all(Array.from({ length: 24 }, (_, index) => fetch('/api/sessions', { method: 'POST', headers, body: JSON.stringify({ title: `Session ${index + 1}` }) })));
      const { session } = await (await fetch('/api/sessions', { method: 'POST', headers, body: JSON.stringify({ title: 'Long one' }) })).json();
      for (let index = 1; index <= 30; index += 1) {
        await fetch('/api/chat', { method: 'POST', headers: { ...headers, accept: 'application/json' }, body: JSON.stringify({ sessionId: session.id, content: `Question ${index}`, model: 'fake-gpt' }) });
      }
    });
    await page.reload();
    await waitForReady(page);
    await ui.picker.click();
    // The first page, plus the remembered active session, which is older than that page.
    await expect(ui.items.count()).resolves.toBe(21);
    await ui.items.last().scrollIntoViewIfNeeded();
    await ui.list.evaluate((list) => list.scrollTo({ top: list.scrollHeight }));
    await expect.poll(() => ui.items.count()).toBe(26);
    await ui.items.filter({ hasText: 'The oldest session' }).waitFor();

    await ui.items.filter({ hasText: 'Long one' }).click();
    await ui.userMessages.filter({ hasText: 'Question 30' }).waitFor();
    const firstPage = await ui.userMessages.count();
    expect(firstPage).toBe(25);
    await ui.messages.evaluate((log) => log.scrollTo({ top: 0 }));
    await ui.userMessages.filter({ hasText: /^You: Question 1$/ }).waitFor();
    await expect(ui.userMessages.count()).resolves.toBe(30);
    await context.close();
  }, 40_000);
});
