import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, startTestServer, type TestServer } from '@ai-chat/testkit';
import { showOnly } from './testing/host-page.js';
import { activeSessionId, fetchApi, parts, sendAndWait, startWidgetFixture, waitForReady, type WidgetFixture } from './testing/widget-fixture.js';

// Host pages with several elements, several servers, and servers set or switched while the element loads.

let fixture: WidgetFixture;
let second: TestServer;

beforeAll(async () => {
  [fixture, second] = await Promise.all([startWidgetFixture(), startTestServer()]);
});

afterAll(async () => {
  await Promise.all([fixture?.close(), second?.close()]);
});

describe('<ai-chat> on host pages', () => {
  it('runs two elements on one page against two servers: separate visitors, tokens and sessions', async () => {
    const { context, page, errors } = await openPage(fixture.browser);
    const [first, other] = [fixture.server.url, second.url];
    await showOnly(page, fixture.server.url, `<div style="display:flex;gap:12px;height:640px">
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
    await showOnly(page, fixture.server.url, `<div style="display:flex;gap:12px;height:640px">
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
    await showOnly(page, fixture.server.url, '');
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
    await showOnly(page, fixture.server.url, '');
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
    await showOnly(page, fixture.server.url, markup);
    await waitForReady(page, '#inline');
    await sendAndWait(page, 'Asked inline', '#inline');
    expect(created).toHaveLength(1);
    // On the next visit the launcher's visitor is the same one: it lists the conversation started inline.
    await showOnly(page, fixture.server.url, markup);
    await parts(page, '#launcher').launcher.click();
    await parts(page, '#launcher').picker.click();
    await parts(page, '#launcher').items.filter({ hasText: 'Asked inline' }).waitFor();
    expect(created).toHaveLength(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});
