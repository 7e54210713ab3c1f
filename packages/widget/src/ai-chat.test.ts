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
    // The same message element streams the new answer: no second reply, no second question. Whether it went back to
    // streaming is recorded in the page as it happens (on a busy machine the whole answer may arrive at once).
    await page.evaluate((id) => {
      const root = document.querySelector('ai-chat')!.shadowRoot!;
      const seen: string[] = [];
      (window as unknown as { retriedStreaming: string[] }).retriedStreaming = seen;
      new MutationObserver(() => {
        const reply = root.querySelector(`[part~="assistant"][data-id="${id}"]`);
        const state = `${reply?.getAttribute('data-status')}:${reply?.querySelector('[part~="error"]') ? 'error shown' : 'no error'}`;
        if (reply && seen.at(-1) !== state) seen.push(state);
      }).observe(root, { subtree: true, childList: true, attributes: true });
    }, failedId);
    await failed.locator('[part~="retry"]').click();
    const retried = page.locator(`ai-chat [part~="assistant"][data-id="${failedId}"]`);
    await retried.and(page.locator('[data-status="complete"]')).waitFor();
    await expect(page.evaluate(() => (window as unknown as { retriedStreaming: string[] }).retriedStreaming)).resolves.toEqual(['streaming:no error', 'complete:no error']);
    await expect(retried.locator('[part~="error"]').count()).resolves.toBe(0);
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
});
