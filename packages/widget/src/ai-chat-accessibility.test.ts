import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScenario, findSeriousA11yViolations, openPage, waitForAnimations } from '@ai-chat/testkit';
import { ALL_CATALOGS } from './i18n/testing/all-catalogs.js';
import { FAKE_MODEL, parts, sendAndWait, startWidgetFixture, waitForReady, type WidgetFixture } from './testing/widget-fixture.js';

const { en } = ALL_CATALOGS;
let fixture: WidgetFixture;

beforeAll(async () => {
  fixture = await startWidgetFixture();
});

afterAll(async () => {
  await fixture?.close();
});

/** One node of Chromium's accessibility tree, as CDP gives it. */
interface AXNode {
  nodeId: string;
  childIds?: string[];
  role?: { value?: string };
  name?: { value?: string };
  properties?: { name: string; value: { value?: unknown } }[];
  ignored?: boolean;
}

async function readAXTree(cdp: CDPSession): Promise<AXNode[]> {
  return ((await cdp.send('Accessibility.getFullAXTree')) as { nodes: AXNode[] }).nodes;
}

/** The text a polite status region holds in the accessibility tree (its static text descendants). */
async function readLiveStatusText(cdp: CDPSession): Promise<string> {
  const nodes = await readAXTree(cdp);
  const byId = new Map(nodes.map((node) => [node.nodeId, node]));
  const textOf = (node: AXNode): string => (node.role?.value === 'StaticText' ? node.name?.value ?? '' : (node.childIds ?? []).map((id) => textOf(byId.get(id)!)).join(''));
  return nodes.filter((node) => node.role?.value === 'status' && property(node, 'live') === 'polite').map(textOf).join(' | ');
}

const property = (node: AXNode | undefined, name: string) => node?.properties?.find((entry) => entry.name === name)?.value.value;
const isTrue = (value: unknown) => value === true || value === 1 || value === 'true';

/** Records every text the element's live region is given, in order (a MutationObserver in the page). */
async function recordAnnouncements(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const region = document.querySelector('ai-chat')!.shadowRoot!.querySelector('[part~="announcer"]')!;
    const said: string[] = ((window as unknown as { said: string[] }).said = []);
    new MutationObserver(() => {
      const text = region.textContent?.replace(/\u00a0/g, ' ').trim();
      if (text) said.push(text);
    }).observe(region, { childList: true, characterData: true, subtree: true });
  });
  return () => page.evaluate(() => (window as unknown as { said: string[] }).said);
}

describe('<ai-chat> with assistive technology', () => {
  it('has no serious or critical axe violation when empty, streaming, failed, with the dropdown open and as an open launcher', async () => {
    const { context, page } = await openPage(fixture.browser, { reducedMotion: 'reduce' });
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    const found: Record<string, unknown> = {};
    found.empty = await findSeriousA11yViolations(page);

    await ui.modelPicker.selectOption(FAKE_MODEL.id);
    fixture.vendor.enqueue(fakeScenario.hangAfterFirstToken('Still writing this'));
    await ui.input.fill('Write slowly');
    await ui.input.press('Enter');
    await ui.stop.waitFor();
    found.streaming = await findSeriousA11yViolations(page);
    await ui.stop.click();
    await ui.send.waitFor();

    fixture.vendor.enqueue(fakeScenario.httpError(500), fakeScenario.httpError(500));
    await sendAndWait(page, 'This one fails');
    await ui.part('error').first().waitFor();
    found.error = await findSeriousA11yViolations(page);

    await ui.picker.click();
    await ui.list.waitFor();
    await waitForAnimations(page);
    found.dropdown = await findSeriousA11yViolations(page);
    await page.keyboard.press('Escape');

    await page.evaluate(() => {
      const element = document.querySelector('ai-chat')!;
      element.setAttribute('mode', 'launcher');
      element.open();
    });
    await ui.panel.waitFor();
    await waitForAnimations(page);
    found.launcher = await findSeriousA11yViolations(page);

    await page.evaluate(() => document.querySelector('ai-chat')!.setAttribute('locale', 'ar'));
    await page.locator('ai-chat [part~="panel"][dir="rtl"]').waitFor();
    found.arabic = await findSeriousA11yViolations(page);
    expect(found).toEqual({ empty: [], streaming: [], error: [], dropdown: [], launcher: [], arabic: [] });
    await context.close();
  }, 120_000);

  it('keeps the log aria-busy while a reply streams and announces the whole reply once, when it is complete', async () => {
    const { context, page } = await openPage(fixture.browser);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Accessibility.enable');
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    const said = await recordAnnouncements(page);
    await ui.modelPicker.selectOption(FAKE_MODEL.id);
    const answer = Array.from({ length: 40 }, (_, index) => `word${index}`).join(' ');
    fixture.vendor.enqueue(fakeScenario.reply(answer, { chunkDelayMs: 30 }));
    await ui.input.fill('Tell me forty words');
    await ui.input.press('Enter');
    await ui.assistantMessages.first().locator('.content', { hasText: 'word3' }).waitFor();

    const streaming = await readAXTree(cdp);
    const log = streaming.find((node) => node.role?.value === 'log');
    expect(isTrue(property(log, 'busy'))).toBe(true);
    expect(property(log, 'live')).toBe('polite');
    expect(await readLiveStatusText(cdp)).not.toContain('word3');

    await ui.assistantMessages.first().and(page.locator('[data-status="complete"]')).waitFor();
    await expect.poll(() => readLiveStatusText(cdp)).toContain(answer);
    const done = await readAXTree(cdp);
    expect(property(done.find((node) => node.role?.value === 'log'), 'busy')).toBeFalsy();
    const replies = (await said()).filter((text) => text.includes('word0'));
    expect(replies).toEqual([en.announceReply.replace('{text}', answer)]);
    await context.close();
  });

  it('announces stop, retry, copy and errors, in the visitor’s language', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await page.evaluate(() => document.querySelector('ai-chat')!.setAttribute('locale', 'es'));
    await waitForReady(page);
    await page.locator('ai-chat [part~="panel"][lang="es"]').waitFor();
    const es = ALL_CATALOGS.es;
    const ui = parts(page);
    const said = await recordAnnouncements(page);
    await ui.modelPicker.selectOption(FAKE_MODEL.id);

    fixture.vendor.enqueue(fakeScenario.hangAfterFirstToken('Half an'));
    await ui.input.fill('Stop me');
    await ui.input.press('Enter');
    await ui.stop.click();
    await expect.poll(said).toContain(es.announceStopped);

    fixture.vendor.enqueue(fakeScenario.httpError(500), fakeScenario.httpError(500));
    const failed = await sendAndWait(page, 'Fail me');
    // A failed reply is an alert (read at once) with the sentence for its error type, not the server's English.
    await expect(failed.locator('[role="alert"]').textContent()).resolves.toContain(es.errorProvider);

    fixture.vendor.enqueue(fakeScenario.reply('Here is `code`:\n\n```js\nconsole.log(1)\n```'));
    await failed.locator('[part~="retry"]').click();
    await expect.poll(said).toContain(es.announceRetrying);
    await ui.assistantMessages.last().and(page.locator('[data-status="complete"]')).waitFor();

    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await ui.assistantMessages.last().locator('button.copy').click();
    await expect.poll(said).toContain(es.copied);
    await context.close();
  });

  it('moves focus predictably: into the panel when the launcher opens, back to it when it closes, to the composer on a new or switched session', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await page.evaluate(() => {
      document.body.innerHTML = '<button id="before">before</button><ai-chat mode="launcher"></ai-chat>';
    });
    const ui = parts(page);
    const focused = () => page.evaluate(() => {
      const inner = document.querySelector('ai-chat')?.shadowRoot?.activeElement;
      return inner ? inner.getAttribute('part') ?? inner.className : document.activeElement?.id ?? '';
    });
    await ui.launcher.click();
    await waitForReady(page);
    await expect.poll(focused).toContain('input');
    await page.keyboard.press('Escape');
    await expect.poll(focused).toContain('launcher');
    await page.keyboard.press('Enter');
    await expect.poll(focused).toContain('input');
    await sendAndWait(page, 'First');
    await ui.newSession.click();
    await expect.poll(focused).toContain('input');
    await sendAndWait(page, 'Second');
    await ui.picker.click();
    await ui.items.nth(1).click();
    await ui.userMessages.filter({ hasText: 'First' }).waitFor();
    await expect.poll(focused).toContain('input');
    await context.close();
  });

  it('works at 200 % zoom (half the CSS width) and without motion when the visitor asks for less', async () => {
    const { context, page } = await openPage(fixture.browser, { viewport: { width: 640, height: 400 }, reducedMotion: 'reduce' });
    await page.goto(fixture.server.url);
    await page.evaluate(() => {
      document.body.innerHTML = '<ai-chat mode="launcher"></ai-chat>';
    });
    const ui = parts(page);
    await ui.launcher.click();
    await waitForReady(page);
    const animated = await page.evaluate(() => document.querySelector('ai-chat')!.shadowRoot!.getAnimations().length);
    expect(animated).toBe(0);
    for (const control of [ui.input, ui.send, ui.picker, ui.newSession, ui.part('close')]) {
      const box = await control.boundingBox();
      expect(box, await control.getAttribute('part') ?? '').not.toBeNull();
      expect(box!.x >= 0 && box!.y >= 0 && box!.x + box!.width <= 640 && box!.y + box!.height <= 400).toBe(true);
    }
    await sendAndWait(page, 'Zoomed in');
    await expect(ui.assistantMessages.first().isVisible()).resolves.toBe(true);
    await context.close();
  });
});
