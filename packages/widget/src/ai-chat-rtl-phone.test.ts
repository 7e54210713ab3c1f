import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScenario, openPage, waitForAnimations } from '@ai-chat/testkit';
import { FAKE_MODEL, parts, sendAndWait, startWidgetFixture, waitForReady, type WidgetFixture } from './testing/widget-fixture.js';

// Screenshots go to test-results/ (git-ignored); `UPDATE_SCREENSHOTS=1` refreshes the README's in docs/screenshots.
const SCREENSHOTS = fileURLToPath(new URL(process.env.UPDATE_SCREENSHOTS ? '../../../docs/screenshots/' : '../../../test-results/screenshots/', import.meta.url));
const LONG_PAGE = `<main style="padding:24px;font:16px/1.5 system-ui">${'<p>The host page has a lot to read, so it scrolls on its own.</p>'.repeat(80)}</main>`;

let fixture: WidgetFixture;

beforeAll(async () => {
  [fixture] = await Promise.all([startWidgetFixture(), mkdir(SCREENSHOTS, { recursive: true })]);
});

afterAll(async () => {
  await fixture?.close();
});

async function showOnly(page: Page, markup: string, lang = 'en') {
  await page.goto(fixture.server.url);
  await page.evaluate(({ markup, lang }) => {
    document.documentElement.lang = lang;
    document.head.querySelectorAll('style').forEach((style) => style.remove());
    document.body.innerHTML = markup;
  }, { markup, lang });
}

const boxOf = async (page: Page, selector: string) => (await page.locator(selector).first().boundingBox())!;

describe('<ai-chat> right to left', () => {
  for (const tag of ['ar', 'he'] as const) {
    it(`mirrors in ${tag === 'ar' ? 'Arabic' : 'Hebrew'}, isolates mixed-direction text, and puts the launcher at the inline end`, async () => {
      const { context, page } = await openPage(fixture.browser, { viewport: { width: 900, height: 760 }, reducedMotion: 'reduce' });
      await showOnly(page, '<div style="padding:32px;height:100vh;box-sizing:border-box"><ai-chat mode="inline"></ai-chat></div>', tag);
      await waitForReady(page);
      const ui = parts(page);
      await expect(ui.panel.getAttribute('dir')).resolves.toBe('rtl');
      await ui.modelPicker.selectOption(FAKE_MODEL.id);
      const mixed = tag === 'ar' ? 'ما هو React Native؟ وكيف أستخدم npm install؟' : 'מה זה React Native? ואיך משתמשים ב-npm install?';
      fixture.vendor.enqueue(fakeScenario.reply(tag === 'ar' ? 'يعمل **React Native** مع `npm install` على iOS و Android.' : '**React Native** עובד עם `npm install` על iOS ו-Android.'));
      await sendAndWait(page, mixed);

      // Mirrored: the session picker starts on the right, new chat and send sit on the left, the visitor's bubble too.
      const panel = await boxOf(page, 'ai-chat [part~="panel"]');
      const picker = await boxOf(page, 'ai-chat [part~="session-picker"]');
      const newSession = await boxOf(page, 'ai-chat [part~="new-session"]');
      const send = await boxOf(page, 'ai-chat [part~="send"]');
      const user = await boxOf(page, 'ai-chat [part~="message"][part~="user"]');
      expect(newSession.x).toBeLessThan(picker.x);
      expect(picker.x + picker.width).toBeGreaterThan(panel.x + panel.width - 80);
      expect(send.x).toBeLessThan(panel.x + panel.width / 2);
      expect(user.x - panel.x).toBeLessThan(panel.x + panel.width - (user.x + user.width));
      // Each message and title decides its own direction from its first strong letter.
      await expect(ui.userMessages.first().getAttribute('dir')).resolves.toBe('auto');
      await expect(ui.assistantMessages.first().locator('.content').getAttribute('dir')).resolves.toBe('auto');
      await expect(page.locator('ai-chat .picker-title').getAttribute('dir')).resolves.toBe('auto');
      await page.screenshot({ path: `${SCREENSHOTS}rtl-${tag}-inline.png` });

      await ui.picker.click();
      await ui.list.waitFor();
      await waitForAnimations(page);
      await expect(ui.items.first().locator('.session-title').getAttribute('dir')).resolves.toBe('auto');
      await page.screenshot({ path: `${SCREENSHOTS}rtl-${tag}-sessions.png` });
      await page.keyboard.press('Escape');

      // A launcher sits at the inline end of its language: bottom left in Arabic and Hebrew; `position="start"` flips it.
      await page.evaluate(() => {
        document.body.innerHTML = '<ai-chat mode="launcher" open></ai-chat>';
      });
      await waitForReady(page);
      const launcher = await boxOf(page, 'ai-chat [part~="launcher"]');
      expect(launcher.x).toBeLessThan(100);
      const open = await boxOf(page, 'ai-chat [part~="panel"]');
      expect(open.x).toBeLessThan(100);
      await page.screenshot({ path: `${SCREENSHOTS}rtl-${tag}-launcher.png` });
      await page.evaluate(() => document.querySelector('ai-chat')!.setAttribute('position', 'start'));
      await expect.poll(async () => (await boxOf(page, 'ai-chat [part~="launcher"]')).x).toBeGreaterThan(700);
      await context.close();
    });
  }

  it('puts the launcher where `position` says in a left-to-right page too', async () => {
    const { context, page } = await openPage(fixture.browser, { viewport: { width: 900, height: 700 } });
    await showOnly(page, '<ai-chat mode="launcher"></ai-chat>');
    await expect.poll(async () => (await boxOf(page, 'ai-chat [part~="launcher"]')).x).toBeGreaterThan(700);
    await page.evaluate(() => document.querySelector('ai-chat')!.setAttribute('position', 'start'));
    await expect.poll(async () => (await boxOf(page, 'ai-chat [part~="launcher"]')).x).toBeLessThan(100);
    await page.evaluate(() => document.querySelector('ai-chat')!.setAttribute('position', 'right'));
    await expect.poll(async () => (await boxOf(page, 'ai-chat [part~="launcher"]')).x).toBeGreaterThan(700);
    await context.close();
  });
});

describe('<ai-chat> on phones', () => {
  for (const width of [360, 390, 430]) {
    it(`at ${width} px: full-screen launcher, page behind still, 16 px inputs, 44 px tap targets`, async () => {
      const { context, page } = await openPage(fixture.browser, { viewport: { width, height: 780 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, reducedMotion: 'reduce' });
      await showOnly(page, `${LONG_PAGE}<ai-chat mode="launcher"></ai-chat>`);
      await page.evaluate(() => window.scrollTo(0, 400));
      const ui = parts(page);
      await ui.launcher.tap();
      await waitForReady(page);
      await ui.modelPicker.selectOption(FAKE_MODEL.id);
      fixture.vendor.enqueue(fakeScenario.reply('On a phone the panel fills the screen, and the composer stays above the keyboard.'));
      await sendAndWait(page, 'How does this look on my phone?');
      const panel = await boxOf(page, 'ai-chat [part~="panel"]');
      expect(panel).toEqual({ x: 0, y: 0, width, height: 780 });

      // The page behind does not move when the visitor swipes or wheels over the panel.
      await page.mouse.move(width / 2, 200);
      await page.mouse.wheel(0, 600);
      await expect(page.evaluate(() => window.scrollY)).resolves.toBe(400);
      await expect(page.evaluate(() => getComputedStyle(document.documentElement).overflow)).resolves.toBe('hidden');

      const controls = await page.evaluate(() => {
        const root = document.querySelector('ai-chat')!.shadowRoot!;
        return [...root.querySelectorAll('button, select, textarea, input, [role="option"]')]
          .filter((element) => element.getClientRects().length > 0 && !element.closest('[aria-hidden="true"]'))
          .map((element) => {
            const rect = element.getBoundingClientRect();
            return { name: element.getAttribute('part') ?? element.className, width: rect.width, height: rect.height, font: parseFloat(getComputedStyle(element).fontSize), isField: /^(SELECT|TEXTAREA|INPUT)$/.test(element.tagName) };
          });
      });
      expect(controls.filter((control) => control.width < 44 || control.height < 44)).toEqual([]);
      expect(controls.filter((control) => control.isField && control.font < 16)).toEqual([]);
      await page.screenshot({ path: `${SCREENSHOTS}phone-${width}.png` });

      await page.keyboard.press('Escape');
      await expect(page.evaluate(() => getComputedStyle(document.documentElement).overflow)).resolves.toBe('visible');
      await context.close();
    });
  }

  it('keeps the composer above the on-screen keyboard (the visual viewport shrinks and scrolls)', async () => {
    const { context, page } = await openPage(fixture.browser, { viewport: { width: 390, height: 780 }, isMobile: true, hasTouch: true });
    // Headless Chromium has no on-screen keyboard: stand in for the visual viewport the way a phone reports one.
    await page.addInitScript(() => {
      const viewport = Object.assign(new EventTarget(), { width: 390, height: 780, offsetTop: 0, offsetLeft: 0, pageTop: 0, pageLeft: 0, scale: 1 });
      Object.defineProperty(window, 'visualViewport', { value: viewport, configurable: true });
      (window as unknown as { openKeyboard: (height: number) => void }).openKeyboard = (height: number) => {
        Object.assign(viewport, { height: 780 - height, offsetTop: 0 });
        viewport.dispatchEvent(new Event('resize'));
      };
    });
    await showOnly(page, `${LONG_PAGE}<ai-chat mode="launcher"></ai-chat>`);
    const ui = parts(page);
    await ui.launcher.tap();
    await waitForReady(page);
    await ui.input.tap();
    await page.evaluate(() => (window as unknown as { openKeyboard: (height: number) => void }).openKeyboard(320));
    await expect.poll(async () => {
      const composer = await boxOf(page, 'ai-chat [part~="composer"]');
      return composer.y + composer.height;
    }).toBeLessThanOrEqual(780 - 320);
    await expect(ui.input.isVisible()).resolves.toBe(true);
    // Where the keyboard would be, for the picture only (the test above measured the panel, not this).
    await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<div style="position:fixed;inset:auto 0 0;height:320px;background:#c9ccd3;z-index:2147483647"></div>'));
    await page.screenshot({ path: `${SCREENSHOTS}phone-keyboard.png` });
    await context.close();
  });
});
