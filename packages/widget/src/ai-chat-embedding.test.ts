import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScenario, findSeriousA11yViolations, openPage, waitForAnimations } from '@ai-chat/testkit';
import { FAKE_MODEL, parts, sendAndWait, startWidgetFixture, waitForReady, type WidgetFixture } from './testing/widget-fixture.js';

// Screenshots go to test-results/ (git-ignored); `UPDATE_SCREENSHOTS=1` refreshes the README's in docs/screenshots.
const SCREENSHOTS = fileURLToPath(new URL(process.env.UPDATE_SCREENSHOTS ? '../../../docs/screenshots/' : '../../../test-results/screenshots/', import.meta.url));
const XSS = [
  'Look: <img src=x onerror=alert(1)> and <script>alert(1)</script>',
  '[click me](javascript:alert(1)) and [safe](https://example.com)',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '![pixel](https://evil.example/pixel.png)',
  '[data](data:text/html,<script>alert(1)</script>) [vb](vbscript:msgbox(1)) [mixed](JaVaScRiPt:alert(1)) [entity](&#106;avascript:alert(1)) <javascript:alert(1)>',
  '[quoted](https://example.com/q "a\\" onmouseover=\\"alert(1)") and `<img src=x onerror=alert(1)>`',
].join('\n\n');

let fixture: WidgetFixture;

beforeAll(async () => {
  fixture = await startWidgetFixture();
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await fixture?.close();
});

/** Replaces the demo page's body with the given markup (the element is already defined by the page's script). */
async function showOnly(page: Page, markup: string) {
  await page.goto(fixture.server.url);
  await page.evaluate((html) => {
    document.body.innerHTML = html;
    document.body.style.cssText = 'margin:0;min-height:100vh;background:#eceff3;font:16px Georgia,serif';
  }, markup);
}

describe('<ai-chat> embedding', () => {
  it('opens and closes the launcher: focus moves into the panel and back, Escape closes, ai-open-change fires', async () => {
    const { context, page } = await openPage(fixture.browser);
    await showOnly(page, '<p>A host page.</p><ai-chat mode="launcher"></ai-chat>');
    const ui = parts(page);
    await expect(ui.panel.isVisible()).resolves.toBe(false);
    await page.evaluate(() => {
      document.querySelector('ai-chat')!.addEventListener('ai-open-change', (event) => ((window as unknown as { changes: boolean[] }).changes ??= []).push((event as Event & { open: boolean }).open));
    });
    await ui.launcher.click();
    await ui.panel.waitFor();
    await expect(page.locator('ai-chat').getAttribute('open')).resolves.toBe('');
    await expect.poll(() => page.evaluate(() => document.querySelector('ai-chat')?.shadowRoot?.activeElement?.getAttribute('part'))).toBe('input');
    await page.keyboard.press('Escape');
    await expect(ui.panel.isVisible()).resolves.toBe(false);
    await expect(page.evaluate(() => document.querySelector('ai-chat')?.shadowRoot?.activeElement?.getAttribute('part'))).resolves.toBe('launcher');
    await page.evaluate(() => document.querySelector('ai-chat')!.open());
    await ui.panel.waitFor();
    await expect(page.evaluate(() => (window as unknown as { changes: boolean[] }).changes)).resolves.toEqual([true, false, true]);
    await context.close();
  });

  it('keeps the conversation when the host moves the element or changes an attribute', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    await sendAndWait(page, 'Remember me');
    await page.evaluate(() => {
      const chat = document.querySelector('ai-chat')!;
      const wrapper = document.createElement('section');
      document.body.append(wrapper);
      wrapper.append(chat);
      chat.setAttribute('heading', 'Moved');
      chat.setAttribute('theme', 'dark');
    });
    const ui = parts(page);
    await expect(ui.picker.textContent()).resolves.toContain('Moved');
    await expect(ui.userMessages.allTextContents()).resolves.toEqual([expect.stringContaining('Remember me')]);
    await expect(ui.assistantMessages.count()).resolves.toBe(1);
    await context.close();
  });

  it('is full-screen on a phone-sized viewport', async () => {
    const { context, page } = await openPage(fixture.browser, { viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true, reducedMotion: 'reduce' });
    await showOnly(page, '<ai-chat mode="launcher" open></ai-chat>');
    await waitForReady(page);
    const box = await parts(page).panel.boundingBox();
    expect(box).toEqual({ x: 0, y: 0, width: 390, height: 760 });
    await sendAndWait(page, 'Hello from my phone');
    await page.screenshot({ path: `${SCREENSHOTS}launcher-phone.png` });
    await context.close();
  });

  it('renders hostile markdown inert: no script runs, no such element or link exists', async () => {
    const { context, page } = await openPage(fixture.browser);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await ui.modelPicker.selectOption(FAKE_MODEL.id);
    fixture.vendor.enqueue(fakeScenario.reply(XSS));
    const reply = await sendAndWait(page, XSS);
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    for (const message of [reply, ui.userMessages.first()]) {
      await expect(message.locator('img, script, iframe').count()).resolves.toBe(0);
      await expect(message.locator('a[href^="javascript:" i], [onerror], [srcdoc]').count()).resolves.toBe(0);
    }
    await expect(reply.textContent()).resolves.toContain('<img src=x onerror=alert(1)>');
    await expect(reply.locator('code').filter({ hasText: '<img src=x onerror=alert(1)>' }).count()).resolves.toBe(1);
    const hrefs = await reply.locator('a[href]').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    // The image from a host not allowed becomes a plain link to it.
    expect(hrefs).toEqual(['https://example.com', 'https://evil.example/pixel.png', 'https://example.com/q']);
    await expect(reply.locator('a[href="https://example.com/q"]').getAttribute('title')).resolves.toBe('a" onmouseover="alert(1)');
    await expect(reply.locator('[onmouseover]').count()).resolves.toBe(0);
    const safe = reply.locator('a[href="https://example.com"]');
    await expect(safe.getAttribute('rel')).resolves.toBe('noopener noreferrer nofollow');
    await expect(safe.getAttribute('target')).resolves.toBe('_blank');
    // A blocked target leaves its text as plain text: no anchor at all, so nothing looks like a link.
    await expect(reply.locator('.link-blocked', { hasText: 'click me' }).count()).resolves.toBe(1);
    await expect(reply.locator('a', { hasText: 'click me' }).count()).resolves.toBe(0);
    await context.close();
  });

  it('has no serious or critical axe-core violations, closed and with the dropdown open', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    await sendAndWait(page, 'Show me some **markdown** with `code`');
    await expect(findSeriousA11yViolations(page)).resolves.toEqual([]);
    await parts(page).picker.click();
    await parts(page).list.waitFor();
    // The dropdown fades in: judge the colours a visitor reads, once it has.
    await waitForAnimations(page);
    await expect(findSeriousA11yViolations(page)).resolves.toEqual([]);
    await context.close();
  });

  it('takes screenshots of inline and launcher modes, light and dark', async () => {
    for (const theme of ['light', 'dark'] as const) {
      const { context, page } = await openPage(fixture.browser, { viewport: { width: 900, height: 760 }, colorScheme: theme, reducedMotion: 'reduce' });
      await showOnly(page, `<div style="padding:32px;height:100vh;box-sizing:border-box"><ai-chat mode="inline" theme="${theme}" heading="Acme support"></ai-chat></div>`);
      await page.evaluate((dark) => (document.body.style.background = dark ? '#0b0b0e' : '#eceff3'), theme === 'dark');
      await waitForReady(page);
      await parts(page).modelPicker.selectOption('demo');
      await sendAndWait(page, 'How do I embed the chat on my site?');
      await page.screenshot({ path: `${SCREENSHOTS}inline-${theme}.png` });
      await parts(page).picker.click();
      await parts(page).list.waitFor();
      await page.screenshot({ path: `${SCREENSHOTS}sessions-${theme}.png` });

      await showOnly(page, `<main style="max-width:640px;margin:40px auto;color:#333"><h1>Acme</h1><p>A host page with its own styles.</p></main><ai-chat mode="launcher" theme="${theme}" open heading="Acme support"></ai-chat>`);
      await waitForReady(page);
      await parts(page).messages.locator('[part~="message"]').first().waitFor();
      await page.screenshot({ path: `${SCREENSHOTS}launcher-${theme}.png` });
      await context.close();
    }
  });
});
