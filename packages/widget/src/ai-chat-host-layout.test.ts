import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScenario, findSeriousA11yViolations, openPage } from '@ai-chat/testkit';
import { showOnly } from './testing/host-page.js';
import { FAKE_MODEL, parts, sendAndWait, startWidgetFixture, waitForReady, type WidgetFixture } from './testing/widget-fixture.js';

// The element's layout on host pages: hostile CSS, narrow containers and phone screens cannot break it.

// Screenshots go to test-results/ (git-ignored); `UPDATE_SCREENSHOTS=1` refreshes the README's in docs/screenshots.
const SCREENSHOTS = fileURLToPath(new URL(process.env.UPDATE_SCREENSHOTS ? '../../../docs/screenshots/' : '../../../test-results/screenshots/', import.meta.url));
const HOSTILE_CSS = '* { all: unset !important; font-size: 40px } div { display: none !important }';
// A reply with everything that is wider than a phone: a long code line, a wide table, a long link and a long word.
const WIDE_REPLY = [
  'Here is a wide one:',
  '```sh\nnpx some-very-long-command --with-a-flag=' + 'a'.repeat(90) + ' --and-more\n```',
  '| column one | column two | column three | column four | column five |\n|---|---|---|---|---|\n| a long cell value | another long cell value | yet another | and more | the end |',
  'See https://example.com/a/very/long/path/that/goes/on/and/on/and/on/without/any/break/at/all/really',
  'Supercalifragilisticexpialidociousandevenlongerwordwithoutanybreakopportunityatall',
].join('\n\n');

let fixture: WidgetFixture;

beforeAll(async () => {
  fixture = await startWidgetFixture();
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await fixture?.close();
});

describe('<ai-chat> on host pages', () => {
  it('is not broken by hostile host page CSS (inline and launcher)', async () => {
    const { context, page, errors } = await openPage(fixture.browser, { viewport: { width: 900, height: 760 }, reducedMotion: 'reduce' });
    await showOnly(page, fixture.server.url, '<h1>A hostile page</h1><ai-chat heading="Still fine"></ai-chat>', HOSTILE_CSS);
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

    await showOnly(page, fixture.server.url, '<p>A hostile page with a launcher.</p><ai-chat mode="launcher"></ai-chat>', HOSTILE_CSS);
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

  it('fits any container from 280 px wide, even as a grid item with a wide reply inside', async () => {
    const { context, page } = await openPage(fixture.browser, { reducedMotion: 'reduce' });
    await showOnly(page, fixture.server.url, '<div id="box" style="display:grid;width:600px;height:640px"><ai-chat></ai-chat></div>');
    await waitForReady(page);
    const ui = parts(page);
    await ui.modelPicker.selectOption(FAKE_MODEL.id);
    fixture.vendor.enqueue(fakeScenario.reply(WIDE_REPLY));
    await sendAndWait(page, `A long question with a long word: ${'x'.repeat(80)}`);
    for (const width of [280, 320, 390, 500]) {
      await page.evaluate((width) => (document.getElementById('box')!.style.width = `${width}px`), width);
      const layout = await page.evaluate(() => {
        const host = document.querySelector('ai-chat')!;
        const root = host.shadowRoot!;
        const overflow = (selector: string) => [...root.querySelectorAll<HTMLElement>(selector)].map((node) => node.scrollWidth - node.clientWidth);
        const panel = root.querySelector('.panel')!.getBoundingClientRect();
        const send = root.querySelector('[part~="send"]')!.getBoundingClientRect();
        const picker = root.querySelector('[part~="new-session"]')!.getBoundingClientRect();
        return { host: host.getBoundingClientRect().width, panel: overflow('.panel, .messages, .thread, .composer'), sendInside: send.right <= panel.right && send.left >= panel.left, newInside: picker.right <= panel.right };
      });
      expect(layout, `${width}px`).toEqual({ host: width, panel: [0, 0, 0, 0], sendInside: true, newInside: true });
    }
    // The wide parts scroll inside the reply instead of widening it, and keyboard users can scroll them too.
    await expect(ui.assistantMessages.first().locator('pre').evaluate((pre) => pre.scrollWidth > pre.clientWidth)).resolves.toBe(true);
    await expect(findSeriousA11yViolations(page)).resolves.toEqual([]);
    await context.close();
  });

  it('the demo page fits a phone screen, also after a reply with a wide code block', async () => {
    const { context, page } = await openPage(fixture.browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, reducedMotion: 'reduce' });
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const width = () => page.evaluate(() => ({ viewport: innerWidth, content: document.documentElement.scrollWidth }));
    await expect(width()).resolves.toEqual({ viewport: 390, content: 390 });
    const ui = parts(page);
    await ui.modelPicker.selectOption(FAKE_MODEL.id);
    fixture.vendor.enqueue(fakeScenario.reply(WIDE_REPLY));
    await sendAndWait(page, 'Something wide, please');
    await expect(width()).resolves.toEqual({ viewport: 390, content: 390 });
    const panel = await ui.panel.boundingBox();
    expect(panel!.x).toBeGreaterThanOrEqual(0);
    expect(panel!.x + panel!.width).toBeLessThanOrEqual(390);
    expect(panel!.y + panel!.height).toBeLessThanOrEqual(844);
    await page.screenshot({ path: `${SCREENSHOTS}demo-phone.png` });
    await context.close();
  });
});

// Issue 10: what the element shows is what happened. Each test here failed on the element before that issue.

describe('issue 10: host page CSS cannot break the launcher (8)', () => {
  const HOSTILE_RULES = [
    'ai-chat { height: 640px }',
    'ai-chat { width: 100%; height: 100% }',
    'ai-chat { width: 10px !important; height: 10px !important; overflow: hidden !important }',
    'ai-chat { display: none }',
    'ai-chat { display: inline !important }',
    'ai-chat { display: flex !important; flex-direction: column-reverse }',
    'ai-chat { position: absolute !important; top: 0; left: 0 }',
    'ai-chat { position: static !important }',
    'ai-chat { transform: translate(-300px, -300px) !important }',
    'ai-chat { filter: blur(0) !important; contain: paint !important }',
    'ai-chat { margin: 200px !important; padding: 50px !important; border: 30px solid red !important }',
  ];

  it.each(HOSTILE_RULES)('keeps the button and panel in their corner with %s', async (rule) => {
    const width = 1000;
    const height = 800;
    const { context, page, errors } = await openPage(fixture.browser, { viewport: { width, height }, reducedMotion: 'reduce' });
    await page.goto(fixture.server.url);
    await page.evaluate((rule) => {
      document.head.querySelectorAll('style').forEach((style) => style.remove());
      document.head.insertAdjacentHTML('beforeend', `<style>${rule}</style>`);
      document.body.innerHTML = '<p>A page with its own idea of the element.</p><ai-chat mode="launcher"></ai-chat>';
    }, rule);
    const ui = parts(page);
    await ui.launcher.click();
    await waitForReady(page);
    await page.mouse.move(0, 0);
    const button = (await ui.launcher.boundingBox())!;
    const panel = (await ui.panel.boundingBox())!;
    expect(button).toMatchObject({ width: 56, height: 56 });
    expect(button.x + button.width).toBeGreaterThan(width - 40);
    expect(button.y + button.height).toBeGreaterThan(height - 40);
    expect(panel.width).toBeGreaterThanOrEqual(280);
    expect(panel.height).toBeGreaterThanOrEqual(300);
    expect(panel.x + panel.width).toBeGreaterThan(width - 40);
    // The panel sits above its button, which covers none of it; its composer is what a click there reaches.
    expect(panel.y + panel.height).toBeLessThanOrEqual(button.y);
    const input = (await ui.input.boundingBox())!;
    await expect(page.evaluate(({ x, y }) => {
      const host = document.elementFromPoint(x, y);
      return host?.shadowRoot?.elementFromPoint(x, y)?.getAttribute('part') ?? null;
    }, { x: input.x + input.width / 2, y: input.y + input.height / 2 })).resolves.toBe('input');
    expect(errors).toEqual([]);
    await context.close();
  });
});
