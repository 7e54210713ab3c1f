import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScenario, findSeriousA11yViolations, openPage, startTestServer, type TestServer } from '@ai-chat/testkit';
import { activeSessionId, FAKE_MODEL, fetchApi, parts, sendAndWait, startWidgetFixture, waitForReady, type WidgetFixture } from './testing/widget-fixture.js';

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

  it('uses a server set right after the element entered the page (as @lit/react sets properties)', async () => {
    const { context, page, errors } = await openPage(fixture.browser);
    await showOnly(page, '');
    const outcome = await page.evaluate((server) => {
      const element = document.createElement('ai-chat');
      document.body.append(element);
      element.server = server;
      return new Promise<string>((resolve) => {
        element.addEventListener('ai-ready', () => resolve(`ready, with a visitor of ${localStorage.getItem(`ai-chat:token:${server}`) ? 'the server set' : 'the page origin'}`));
        element.addEventListener('ai-error', (event) => resolve(`error: ${String(event.error)}`));
      });
    }, second.url);
    expect(outcome).toBe('ready, with a visitor of the server set');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows the new server once it is switched while the old one is still loading', async () => {
    const { context, page, errors } = await openPage(fixture.browser);
    await showOnly(page, '');
    const [first, other] = [fixture.server.url, second.url];
    // A visitor with one titled conversation on each server, its token where the SDK looks for it.
    await page.evaluate(async (servers) => {
      for (const [server, title] of servers) {
        const created = await (await fetch(`${server}/api/users`, { method: 'POST' })).json();
        localStorage.setItem(`ai-chat:token:${server}`, created.token);
        await fetch(`${server}/api/sessions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${created.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ title }),
        });
      }
    }, [[first, 'Old server chat'], [other, 'New server chat']]);
    // The first server answers its session list slowly, so the switch happens while it loads.
    await page.route(`${first}/api/sessions*`, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      // The switch aborts the element's request (one AbortController per server and user): nothing to continue then.
      await route.continue().catch(() => undefined);
    });
    const slowList = page.waitForRequest((request) => request.url().startsWith(`${first}/api/sessions`));
    await page.evaluate((server) => {
      const element = document.createElement('ai-chat');
      element.server = server;
      document.body.append(element);
    }, first);
    await slowList;
    await page.evaluate((server) => (document.querySelector('ai-chat')!.server = server), other);
    await parts(page).picker.filter({ hasText: 'New server chat' }).waitFor();
    // The old list either answers late or is aborted: either way it is over, and nothing of it may show.
    await (await slowList).response();
    await page.waitForTimeout(300);
    await expect(parts(page).picker.textContent()).resolves.toContain('New server chat');
    await parts(page).picker.click();
    await expect(parts(page).items.allTextContents()).resolves.toEqual([expect.stringContaining('New server chat')]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('makes one visitor for two elements that point at the same server', async () => {
    const { context, page, errors } = await openPage(fixture.browser);
    const created: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/users') created.push(request.url());
    });
    const markup = `<ai-chat id="inline" server="${fixture.server.url}"></ai-chat><ai-chat id="launcher" mode="launcher" server="${fixture.server.url}"></ai-chat>`;
    await showOnly(page, markup);
    await waitForReady(page, '#inline');
    await sendAndWait(page, 'Asked inline', '#inline');
    expect(created).toHaveLength(1);
    // On the next visit the launcher's visitor is the same one: it lists the conversation started inline.
    await showOnly(page, markup);
    await parts(page, '#launcher').launcher.click();
    await parts(page, '#launcher').picker.click();
    await parts(page, '#launcher').items.filter({ hasText: 'Asked inline' }).waitFor();
    expect(created).toHaveLength(1);
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

  it('fits any container from 280 px wide, even as a grid item with a wide reply inside', async () => {
    const { context, page } = await openPage(fixture.browser, { reducedMotion: 'reduce' });
    await showOnly(page, '<div id="box" style="display:grid;width:600px;height:640px"><ai-chat></ai-chat></div>');
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
