import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScenario, openPage } from '@ai-chat/testkit';
import { watch } from './testing/page-watch.js';
import { activeSessionId, FAKE_MODEL, messagesOf, parts, sendAndWait, sessionsOf, startWidgetFixture, waitForReady, type WidgetFixture } from './testing/widget-fixture.js';

// Issue 10: what the element shows is what happened. Each test here failed on the element before that issue.

let fixture: WidgetFixture;

beforeAll(async () => {
  fixture = await startWidgetFixture();
});

afterAll(async () => {
  await fixture?.close();
});

describe('issue 10: the model picker tells the truth (1)', () => {
  it('writes the next reply of an existing session with the model picked; the session moves, and the dropdown and label say so', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const { chats } = await watch(page);
    const ui = parts(page);
    await ui.modelPicker.selectOption('demo');
    const first = await sendAndWait(page, 'Asked the demo model');
    await expect(first.locator('.message-model').textContent()).resolves.toBe('Demo (offline)');

    await ui.modelPicker.selectOption(FAKE_MODEL.id);
    fixture.vendor.enqueue(fakeScenario.reply('The fake model took over.'));
    const next = await sendAndWait(page, 'Now the fake one');
    await expect(next.locator('.content').textContent()).resolves.toBe('The fake model took over.');
    await expect(next.locator('.message-model').textContent()).resolves.toBe(FAKE_MODEL.label);
    expect(chats.at(-1)).toMatchObject({ model: FAKE_MODEL.id });
    const sessionId = await activeSessionId(page);
    expect((await sessionsOf(page)).find((session) => session.id === sessionId)?.model).toBe(FAKE_MODEL.id);
    await ui.picker.click();
    await expect(ui.items.first().textContent()).resolves.toContain(FAKE_MODEL.label);
    await page.keyboard.press('Escape');
    // The first reply still names the model that wrote it.
    await expect(first.locator('.message-model').textContent()).resolves.toBe('Demo (offline)');

    // The picker shows each session's model: a session on the demo model brings the picker back to it.
    await ui.newSession.click();
    await ui.modelPicker.selectOption('demo');
    await sendAndWait(page, 'A demo session');
    await ui.picker.click();
    await ui.items.filter({ hasText: 'Asked the demo model' }).click();
    await expect.poll(() => ui.modelPicker.inputValue()).toBe(FAKE_MODEL.id);
    await page.reload();
    await waitForReady(page);
    await expect.poll(() => ui.modelPicker.inputValue()).toBe(FAKE_MODEL.id);
    await context.close();
  }, 45_000);

  it('retries a failed reply with the model picked now, and labels the new reply with it', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const { chats } = await watch(page);
    const ui = parts(page);
    await ui.modelPicker.selectOption(FAKE_MODEL.id);
    fixture.vendor.enqueue(fakeScenario.httpError(500), fakeScenario.httpError(500));
    const failed = await sendAndWait(page, 'This model is broken');
    await expect(failed.getAttribute('data-status')).resolves.toBe('error');

    await ui.modelPicker.selectOption('demo');
    await failed.locator('[part~="retry"]').click();
    const retried = ui.assistantMessages.first();
    await retried.and(page.locator('[data-status="complete"]')).waitFor();
    await expect(retried.locator('.message-model').textContent()).resolves.toBe('Demo (offline)');
    expect(chats.at(-1)).toMatchObject({ model: 'demo' });
    const stored = await messagesOf(page, await activeSessionId(page));
    expect(stored.map(({ role, status, model }) => `${role}:${status}:${model}`)).toEqual(['user:complete:null', 'assistant:complete:demo']);
    await context.close();
  });
});
