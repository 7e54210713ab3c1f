import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/src/testing/start-test-server.js';
import { openPage } from './testing/browser.js';
import { activeSessionId, fetchApi, parts, sendAndWait, startWidgetFixture, waitForReady, type WidgetFixture } from './testing/widget-fixture.js';

const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const HOSTILE_CSS = '* { all: unset !important; font-size: 40px } div { display: none !important }';

let fixture: WidgetFixture;
let second: TestServer;

beforeAll(async () => {
  [fixture, second] = await Promise.all([startWidgetFixture(), startTestServer()]);
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await Promise.all([fixture?.close(), second?.close()]);
});

/** Replaces the demo page's body with the given markup (the element is already defined by the page's script). */
async function showOnly(page: Page, markup: string, css = '') {
  await page.goto(fixture.server.url);
  await page.evaluate(({ markup, css }) => {
    document.head.querySelectorAll('style').forEach((style) => style.remove());
    document.head.insertAdjacentHTML('beforeend', `<style>${css}</style>`);
    document.body.innerHTML = markup;
  }, { markup, css });
}

describe('<ai-chat> on host pages', () => {
  it('runs two elements on one page against two servers: separate visitors, tokens and sessions', async () => {
    const { context, page, errors } = await openPage(fixture.browser);
    const [first, other] = [fixture.server.url, second.url];
    await showOnly(page, `<div style="display:flex;gap:12px;height:640px">
      <ai-chat id="first" server="${first}" heading="First"></ai-chat><ai-chat id="other" server="${other}" heading="Other"></ai-chat></div>`);
    await Promise.all([waitForReady(page, '#first'), waitForReady(page, '#other')]);
    await sendAndWait(page, 'Hello first server', '#first');
    await sendAndWait(page, 'Hello other server', '#other');

    await expect(parts(page, '#first').userMessages.allTextContents()).resolves.toEqual([expect.stringContaining('Hello first server')]);
    await expect(parts(page, '#other').userMessages.allTextContents()).resolves.toEqual([expect.stringContaining('Hello other server')]);
    const tokens = await page.evaluate(() => Object.fromEntries(Object.entries(localStorage).filter(([key]) => key.startsWith('ai-chat:token:'))));
    expect(Object.keys(tokens).sort()).toEqual([`ai-chat:token:${first}`, `ai-chat:token:${other}`].sort());
    expect(tokens[`ai-chat:token:${first}`]).not.toBe(tokens[`ai-chat:token:${other}`]);
    const titles = async (server: string) =>
      (await fetchApi<{ sessions: Array<{ title: string; messageCount: number }> }>(page, '/api/sessions', server)).sessions.map((session) => `${session.title}:${session.messageCount}`);
    await expect(titles(first)).resolves.toEqual(['Hello first server:2']);
    await expect(titles(other)).resolves.toEqual(['Hello other server:2']);
    expect(await activeSessionId(page, first)).not.toBe(await activeSessionId(page, other));

    // On the next visit each element finds its own visitor and conversation again.
    await showOnly(page, `<div style="display:flex;gap:12px;height:640px">
      <ai-chat id="first" server="${first}"></ai-chat><ai-chat id="other" server="${other}"></ai-chat></div>`);
    await parts(page, '#first').userMessages.first().waitFor();
    await parts(page, '#other').userMessages.first().waitFor();
    await expect(parts(page, '#first').userMessages.allTextContents()).resolves.toEqual([expect.stringContaining('Hello first server')]);
    await expect(parts(page, '#other').userMessages.allTextContents()).resolves.toEqual([expect.stringContaining('Hello other server')]);
    await expect(titles(first)).resolves.toHaveLength(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('is not broken by hostile host page CSS (inline and launcher)', async () => {
    const { context, page, errors } = await openPage(fixture.browser, { viewport: { width: 900, height: 760 }, reducedMotion: 'reduce' });
    await showOnly(page, '<h1>A hostile page</h1><ai-chat heading="Still fine"></ai-chat>', HOSTILE_CSS);
    await waitForReady(page);
    const ui = parts(page);
    const reply = await sendAndWait(page, 'Are you still readable?');
    await page.screenshot({ path: `${SCREENSHOTS}hostile-css-inline.png` });
    const panel = await ui.panel.boundingBox();
    expect(panel?.width).toBeGreaterThanOrEqual(280);
    expect(panel?.height).toBeGreaterThanOrEqual(300);
    await expect(ui.panel.evaluate((node) => getComputedStyle(node).fontSize)).resolves.toBe('15px');
    await expect(ui.input.evaluate((node) => getComputedStyle(node).display)).resolves.toBe('block');
    await expect(reply.isVisible()).resolves.toBe(true);
    await expect(ui.send.isVisible()).resolves.toBe(true);

    await showOnly(page, '<p>A hostile page with a launcher.</p><ai-chat mode="launcher"></ai-chat>', HOSTILE_CSS);
    await ui.launcher.click();
    await waitForReady(page);
    await page.mouse.move(0, 0); // the launcher grows a little under the pointer
    await page.screenshot({ path: `${SCREENSHOTS}hostile-css-launcher.png` });
    const launcher = await ui.launcher.boundingBox();
    const floating = await ui.panel.boundingBox();
    // Still a floating button in the bottom-right corner, with the panel above it.
    expect(launcher).toMatchObject({ width: 56, height: 56 });
    expect(launcher!.x + launcher!.width).toBeGreaterThan(900 - 40);
    expect(launcher!.y + launcher!.height).toBeGreaterThan(760 - 40);
    expect(floating!.width).toBeGreaterThanOrEqual(280);
    expect(floating!.height).toBeGreaterThanOrEqual(300);
    expect(floating!.y + floating!.height).toBeLessThanOrEqual(launcher!.y);
    expect(errors).toEqual([]);
    await context.close();
  });
});
