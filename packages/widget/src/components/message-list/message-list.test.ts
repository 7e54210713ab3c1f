import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScenario, openPage } from '@ai-chat/testkit';
import { activeSessionId, FAKE_MODEL, parts, sendAndWait, startWidgetFixture, waitForReady, type WidgetFixture } from '../../testing/widget-fixture.js';

let fixture: WidgetFixture;

beforeAll(async () => {
  fixture = await startWidgetFixture();
});

afterAll(async () => {
  await fixture?.close();
});

describe('<ai-chat> message list in Chromium', () => {
  it('copies a code block with its Copy button', async () => {
    const { context, page } = await openPage(fixture.browser, { permissions: ['clipboard-read', 'clipboard-write'] });
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await ui.modelPicker.selectOption(FAKE_MODEL.id);
    const code = 'const answer = 42;\nconsole.log(`<b>${answer}</b>`);';
    fixture.vendor.enqueue(fakeScenario.reply(`Here you go:\n\n\`\`\`js\n${code}\n\`\`\`\n\nAnything else?`));
    const reply = await sendAndWait(page, 'Show me some code');
    const copy = reply.locator('button.copy');
    await expect(copy.textContent()).resolves.toContain('Copy');
    await expect(reply.locator('.code-lang').textContent()).resolves.toBe('js');
    await copy.click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(code);
    await expect(copy.locator('.copy-done').isVisible()).resolves.toBe(true);
    await expect(copy.locator('.copy-idle').isVisible()).resolves.toBe(false);
    await expect.poll(() => copy.locator('.copy-idle').isVisible(), { timeout: 3000 }).toBe(true);
    await context.close();
  });

  it('stays where the visitor scrolled during a long reply, offers "Jump to latest", and follows again after it', async () => {
    const { context, page } = await openPage(fixture.browser, { viewport: { width: 800, height: 600 }, reducedMotion: 'reduce' });
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await ui.modelPicker.selectOption(FAKE_MODEL.id);
    const lines = Array.from({ length: 80 }, (_, index) => `Line ${index}`);
    fixture.vendor.enqueue(fakeScenario.reply(lines.join('\n'), { chunkDelayMs: 10 }));
    await ui.input.fill('A long answer, please');
    await ui.input.press('Enter');
    const log = ui.messages;
    const position = () => log.evaluate((node) => ({ top: node.scrollTop, fromBottom: node.scrollHeight - node.scrollTop - node.clientHeight }));
    await expect.poll(() => log.evaluate((node) => node.scrollHeight > node.clientHeight * 2), { timeout: 10_000 }).toBe(true);
    // While following, the newest line is in view.
    expect((await position()).fromBottom).toBeLessThan(2);
    await expect(ui.part('jump').count()).resolves.toBe(0);

    await log.hover();
    await page.mouse.wheel(0, -100_000);
    await ui.part('jump').waitFor();
    await ui.assistantMessages.first().locator('.content', { hasText: 'Line 60' }).waitFor();
    // More text arrived below, and the visitor is still reading the top. (A wheel scroll may take a few frames to
    // arrive on a busy machine: wait for it, then the log must stay there while the reply keeps growing.)
    await expect.poll(async () => (await position()).top).toBe(0);
    await ui.assistantMessages.first().locator('.content', { hasText: 'Line 70' }).waitFor();
    expect((await position()).top).toBe(0);
    expect((await position()).fromBottom).toBeGreaterThan(100);

    await ui.part('jump').click();
    await expect.poll(() => ui.part('jump').count()).toBe(0);
    await ui.assistantMessages.first().and(page.locator('[data-status="complete"]')).waitFor();
    await expect.poll(async () => (await position()).fromBottom).toBeLessThan(2);
    await expect(ui.assistantMessages.first().locator('.content').textContent()).resolves.toContain('Line 79');
    expect(await activeSessionId(page)).not.toBe('');
    await context.close();
  });

  it('keeps the visitor scrolled up when a scroll event of the followed text arrives before the wheel has scrolled', async () => {
    // On a busy machine the wheel's own scroll can land a frame after a scroll event that still tells of the log at its
    // end (where following the reply had put it): that event must not switch following back on and pull the log down.
    const { context, page } = await openPage(fixture.browser, { viewport: { width: 800, height: 600 } });
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await ui.modelPicker.selectOption(FAKE_MODEL.id);
    fixture.vendor.enqueue(fakeScenario.reply(Array.from({ length: 60 }, (_, index) => `Row ${index}`).join('\n'), { chunkDelayMs: 10 }));
    await ui.input.fill('Sixty rows, please');
    await ui.input.press('Enter');
    await ui.assistantMessages.first().and(page.locator('[data-status="complete"]')).waitFor();
    const log = ui.messages;
    await expect.poll(() => log.evaluate((node) => node.scrollHeight - node.scrollTop - node.clientHeight)).toBeLessThan(2);

    const afterStaleScroll = await log.evaluate(async (node) => {
      const chat = (node.getRootNode() as ShadowRoot).host as HTMLElement & { updateComplete: Promise<boolean> };
      const atEnd = node.scrollTop;
      node.dispatchEvent(new WheelEvent('wheel', { deltaY: -400, bubbles: true, composed: true }));
      node.dispatchEvent(new Event('scroll'));
      await chat.updateComplete;
      return { atEnd, top: node.scrollTop, isJumpShown: !!chat.shadowRoot?.querySelector('[part~="jump"]') };
    });
    expect(afterStaleScroll.isJumpShown).toBe(true);
    expect(afterStaleScroll.top).toBe(afterStaleScroll.atEnd);

    // The wheel's scroll lands: the log stays there, and a later update does not move it.
    await log.evaluate((node) => node.scrollTo({ top: 0, behavior: 'instant' }));
    await expect.poll(async () => (await ui.part('jump').count()) === 1 && (await log.evaluate((node) => node.scrollTop)) === 0).toBe(true);
    await ui.input.fill('next');
    await expect(log.evaluate((node) => node.scrollTop)).resolves.toBe(0);
    await ui.part('jump').click();
    await expect.poll(() => log.evaluate((node) => node.scrollHeight - node.scrollTop - node.clientHeight)).toBeLessThan(2);
    await context.close();
  });

  it('keeps the newest message in view when the page is resized (a phone turned, the on-screen keyboard opened)', async () => {
    const { context, page } = await openPage(fixture.browser, { viewport: { width: 1000, height: 700 } });
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await ui.modelPicker.selectOption(FAKE_MODEL.id);
    fixture.vendor.enqueue(fakeScenario.reply(Array.from({ length: 30 }, (_, index) => `Paragraph ${index} of a reply long enough to wrap differently on a narrow screen.`).join('\n\n')));
    await sendAndWait(page, 'A long answer, please');
    const log = ui.messages;
    const fromBottom = () => log.evaluate((node) => node.scrollHeight - node.scrollTop - node.clientHeight);
    await expect.poll(fromBottom).toBeLessThan(2);
    for (const viewport of [{ width: 390, height: 700 }, { width: 390, height: 420 }, { width: 900, height: 600 }]) {
      await page.setViewportSize(viewport);
      await expect.poll(fromBottom).toBeLessThan(2);
      await expect(ui.part('jump').count()).resolves.toBe(0);
    }
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
});
