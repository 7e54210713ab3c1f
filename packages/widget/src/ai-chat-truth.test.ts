import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScenario, openPage, startTestServer, type TestServer } from '@ai-chat/testkit';
import { activeSessionId, FAKE_MODEL, fetchApi, parts, sendAndWait, startWidgetFixture, waitForReady, type WidgetFixture } from './testing/widget-fixture.js';

// Issue 10: what the element shows is what happened. Each test here failed on the element before that issue.

let fixture: WidgetFixture;
let second: TestServer;

beforeAll(async () => {
  [fixture, second] = await Promise.all([startWidgetFixture(), startTestServer()]);
});

afterAll(async () => {
  await Promise.all([fixture?.close(), second?.close()]);
});

type StoredSession = { id: string; title: string; model: string; messageCount: number };
type StoredMessage = { id: string; role: string; status: string; content: string; model: string | null };

const sessionsOf = async (page: Page, server?: string) => (await fetchApi<{ sessions: StoredSession[] }>(page, '/api/sessions', server)).sessions;
const messagesOf = async (page: Page, sessionId: string) => (await fetchApi<{ messages: StoredMessage[] }>(page, `/api/sessions/${sessionId}/messages`)).messages;

/** Records every `ai-error` and `ai-session-change` the element fires, and every POST /api/chat body the page sends. */
async function watch(page: Page) {
  const chats: Array<Record<string, unknown>> = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/chat') chats.push(request.postDataJSON());
  });
  await page.evaluate(() => {
    const seen: { errors: unknown[]; changes: unknown[] } = { errors: [], changes: [] };
    (window as unknown as { seen: typeof seen }).seen = seen;
    const element = document.querySelector('ai-chat')!;
    element.addEventListener('ai-error', (event) => {
      const error = (event as Event & { error: { name?: string; type?: string; message?: string } }).error;
      seen.errors.push({ name: error?.name, type: error?.type, message: error?.message });
    });
    element.addEventListener('ai-session-change', (event) => seen.changes.push((event as Event & { sessionId: string | null }).sessionId));
  });
  const seen = () => page.evaluate(() => (window as unknown as { seen: { errors: Array<{ name?: string; type?: string; message?: string }>; changes: Array<string | null> } }).seen);
  return { chats, seen };
}

/** Holds the matching requests until `release()`; resolves `held` when the first one arrives. */
async function hold(page: Page, matches: (url: URL) => boolean) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let arrived!: () => void;
  const held = new Promise<void>((resolve) => (arrived = resolve));
  await page.route(
    (url) => matches(url),
    async (route) => {
      const response = await route.fetch();
      arrived();
      await released;
      await route.fulfill({ response });
    },
  );
  return { held, release };
}

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

describe('issue 10: nothing typed is ever lost (2)', () => {
  it('learns the limit from GET /api/config, counts down near it, and refuses over it with a sentence, keeping the text', async () => {
    const { context, page } = await openPage(fixture.browser);
    // A deployment with a smaller limit than this version's default: the element must take the server's word.
    await page.route('**/api/config', async (route) => {
      const response = await route.fetch();
      const config = await response.json();
      await route.fulfill({ response, json: { ...config, limits: { ...config.limits, contentMaxLength: 500 } } });
    });
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const { chats, seen } = await watch(page);
    const ui = parts(page);
    await ui.input.fill('x'.repeat(300));
    await expect(ui.part('counter').count()).resolves.toBe(0);
    await ui.input.fill('x'.repeat(450));
    await expect.poll(() => ui.part('counter').textContent()).toContain('50 characters left');

    const tooLong = 'y'.repeat(501);
    await ui.input.fill(tooLong);
    await expect.poll(() => ui.part('counter').textContent()).toContain('1 characters too many');
    await ui.input.press('Enter');
    await ui.part('error').waitFor();
    const shown = await ui.part('error').textContent();
    expect(shown).toMatch(/too long/i);
    expect(shown).not.toContain('content:');
    await expect(ui.input.inputValue()).resolves.toBe(tooLong);
    await expect(ui.userMessages.count()).resolves.toBe(0);
    expect(chats).toEqual([]);
    expect((await seen()).errors).toEqual([expect.objectContaining({ name: 'MessageTooLongError' })]);

    // The real limit, 100,001 characters typed: refused the same way, nothing cleared.
    await page.unroute('**/api/config');
    await page.reload();
    await waitForReady(page);
    const huge = 'z'.repeat(100_001);
    await ui.input.fill(huge);
    await expect.poll(() => ui.part('counter').textContent()).toContain('68,001');
    await ui.input.press('Enter');
    await ui.part('error').waitFor();
    await expect(ui.part('error').textContent()).resolves.not.toContain('must be at most');
    await expect(ui.input.inputValue()).resolves.toBe(huge);
    await expect(ui.userMessages.count()).resolves.toBe(0);
    await context.close();
  });

  it('keeps the draft on a failed send: the text comes back into the composer, with a sentence and no dead Retry', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const { seen } = await watch(page);
    const ui = parts(page);
    await sendAndWait(page, 'A first message that works');
    await page.route('**/api/chat', (route) =>
      route.fulfill({ status: 400, json: { error: { type: 'invalid_request', message: 'content: must be at most 32000 characters', details: [{ path: 'content', message: 'too long' }], requestId: 'req-1' } } }),
    );
    await ui.input.fill('Words I do not want to type again');
    await ui.input.press('Enter');
    await expect.poll(() => ui.input.inputValue()).toBe('Words I do not want to type again');
    await ui.part('error').waitFor();
    await expect(ui.part('error').first().textContent()).resolves.not.toContain('content:');
    await expect(ui.userMessages.count()).resolves.toBe(1);
    await expect(ui.part('retry').count()).resolves.toBe(0);
    // The developer still gets the server's own words.
    expect((await seen()).errors.at(-1)).toMatchObject({ type: 'invalid_request', message: 'content: must be at most 32000 characters' });

    // Offline: the same.
    await page.unroute('**/api/chat');
    await page.route('**/api/chat', (route) => route.abort('internetdisconnected'));
    await ui.input.press('Enter');
    await expect.poll(async () => (await seen()).errors.length).toBeGreaterThan(1);
    await expect.poll(() => ui.input.inputValue()).toBe('Words I do not want to type again');
    await expect(ui.userMessages.count()).resolves.toBe(1);
    await page.unroute('**/api/chat');
    await ui.input.press('Enter');
    await ui.userMessages.filter({ hasText: 'Words I do not want to type again' }).waitFor();
    await expect(ui.input.inputValue()).resolves.toBe('');
    await context.close();
  });

  it('keeps an unsent draft per session across a reload, and for a new conversation', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await sendAndWait(page, 'Session one');
    await ui.newSession.click();
    await sendAndWait(page, 'Session two');
    await ui.input.fill('Unsent in session two');
    await ui.picker.click();
    await ui.items.filter({ hasText: 'Session one' }).click();
    await ui.userMessages.filter({ hasText: 'Session one' }).waitFor();
    await expect(ui.input.inputValue()).resolves.toBe('');
    await ui.input.fill('Unsent in session one');

    await page.reload();
    await waitForReady(page);
    await ui.userMessages.filter({ hasText: 'Session one' }).waitFor();
    await expect.poll(() => ui.input.inputValue()).toBe('Unsent in session one');
    await ui.picker.click();
    await ui.items.filter({ hasText: 'Session two' }).click();
    await ui.userMessages.filter({ hasText: 'Session two' }).waitFor();
    await expect.poll(() => ui.input.inputValue()).toBe('Unsent in session two');

    await ui.newSession.click();
    await ui.part('empty').waitFor();
    await ui.input.fill('The first words of a new one');
    await page.reload();
    await waitForReady(page);
    await expect.poll(() => ui.input.inputValue()).toBe('The first words of a new one');
    await context.close();
  });
});

describe('issue 10: New makes no empty conversations (5)', () => {
  it('stores a conversation only when its first message is sent, however often New is pressed; newSession() still works', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const { seen } = await watch(page);
    const ui = parts(page);
    await sendAndWait(page, 'The only real conversation');
    for (let press = 0; press < 3; press += 1) {
      await ui.newSession.click();
      await ui.part('empty').waitFor();
    }
    expect((await sessionsOf(page)).map((session) => session.title)).toEqual(['The only real conversation']);
    await ui.picker.click();
    await expect(ui.items.count()).resolves.toBe(1);
    await page.keyboard.press('Escape');

    await sendAndWait(page, 'A second real one');
    expect((await sessionsOf(page)).map((session) => `${session.title}:${session.messageCount}`)).toEqual(['A second real one:2', 'The only real conversation:2']);

    await page.evaluate(() => document.querySelector('ai-chat')!.newSession());
    await ui.part('empty').waitFor();
    await page.evaluate(() => document.querySelector('ai-chat')!.send('Sent through the API'));
    await ui.assistantMessages.first().and(page.locator('[data-status="complete"]')).waitFor();
    const sessions = await sessionsOf(page);
    expect(sessions.map((session) => session.messageCount)).toEqual([2, 2, 2]);
    expect(await activeSessionId(page)).toBe(sessions[0]!.id);
    expect((await seen()).changes.at(-1)).toBe(sessions[0]!.id);
    await context.close();
  });
});

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

describe('issue 10: small things a visitor notices (9)', () => {
  it('cancels a delete confirmation with Escape, and reaches rename and delete with Tab', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await sendAndWait(page, 'Keep me');
    const focusedPart = () => page.evaluate(() => document.querySelector('ai-chat')?.shadowRoot?.activeElement?.getAttribute('part') ?? null);

    await ui.picker.focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(focusedPart).toBe('session-item');
    await page.keyboard.press('Tab');
    await expect.poll(focusedPart).toContain('session-rename');
    await page.keyboard.press('Enter');
    await ui.part('session-rename-input').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(focusedPart).toBe('session-item');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect.poll(focusedPart).toContain('session-delete');
    await page.keyboard.press('Enter');
    await ui.part('session-delete-confirm').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => ui.part('session-delete-confirm').count()).toBe(0);
    await expect(ui.list.isVisible()).resolves.toBe(true);
    await expect.poll(focusedPart).toBe('session-item');
    expect((await sessionsOf(page)).map((session) => session.title)).toEqual(['Keep me']);
    await context.close();
  });

  it('labels the messages log "Messages" and shows a blocked javascript: or data: link as plain text', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await expect(ui.messages.getAttribute('aria-label')).resolves.toBe('Messages');
    await ui.modelPicker.selectOption(FAKE_MODEL.id);
    fixture.vendor.enqueue(fakeScenario.reply('Try [click here](javascript:alert(1)) or [this](data:text/html,x) or [docs](https://example.com).'));
    const reply = await sendAndWait(page, 'Links please');
    const content = reply.locator('.content');
    await expect(content.textContent()).resolves.toBe('Try click here or this or docs.');
    await expect(content.locator('a').count()).resolves.toBe(1);
    const colours = await content.evaluate((node) => {
      const colourOf = (text: string) => {
        const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
        for (let current = walker.nextNode(); current; current = walker.nextNode()) {
          if (current.textContent === text) return getComputedStyle(current.parentElement!).color;
        }
        return null;
      };
      return { text: getComputedStyle(node.querySelector('p')!).color, blocked: colourOf('click here'), data: colourOf('this'), link: colourOf('docs') };
    });
    expect(colours.blocked).toBe(colours.text);
    expect(colours.data).toBe(colours.text);
    expect(colours.link).not.toBe(colours.text);
    await context.close();
  });

  it('shows visitors plain sentences for errors and gives the developer the detail in ai-error', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const { seen } = await watch(page);
    const ui = parts(page);
    await ui.modelPicker.selectOption(FAKE_MODEL.id);
    fixture.vendor.enqueue(fakeScenario.httpError(500), fakeScenario.httpError(500));
    const failed = await sendAndWait(page, 'Fail at the provider');
    const notice = await failed.locator('[part~="error"]').textContent();
    expect(notice).toMatch(/could not answer/);
    const developer = (await seen()).errors.at(-1)!;
    expect(developer.type).toMatch(/^provider_/);
    expect(notice).not.toContain(developer.message);

    await page.route('**/api/chat', (route) =>
      route.fulfill({ status: 429, headers: { 'retry-after': '0' }, json: { error: { type: 'rate_limited', message: 'RATE_LIMIT_MAX (30 per 60000 ms) exceeded for 127.0.0.1', details: [], requestId: 'req-2' } } }),
    );
    await ui.modelPicker.selectOption('demo');
    await ui.input.fill('Too fast');
    await ui.input.press('Enter');
    const banner = ui.part('error').filter({ hasText: 'too quickly' });
    await banner.waitFor();
    await expect(banner.textContent()).resolves.not.toContain('RATE_LIMIT');
    expect((await seen()).errors.at(-1)).toMatchObject({ type: 'rate_limited', message: expect.stringContaining('RATE_LIMIT_MAX') });
    await context.close();
  });
});

describe('issue 10: the element’s own races (10)', () => {
  it('drops a page of sessions, of latest messages or of older messages that arrives after the server changed', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await sendAndWait(page, 'Old server, first session');
    await page.evaluate(async () => {
      const token = localStorage.getItem(`ai-chat:token:${location.origin}`);
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      await Promise.all(Array.from({ length: 21 }, (_, index) => fetch('/api/sessions', { method: 'POST', headers, body: JSON.stringify({ title: `Old session ${index + 1}` }) })));
      const { session } = await (await fetch('/api/sessions', { method: 'POST', headers, body: JSON.stringify({ title: 'Old long one' }) })).json();
      for (let index = 1; index <= 26; index += 1) {
        await fetch('/api/chat', { method: 'POST', headers: { ...headers, accept: 'application/json' }, body: JSON.stringify({ sessionId: session.id, content: `Old question ${index}` }) });
      }
    });
    await page.reload();
    await waitForReady(page);
    const element = page.locator('ai-chat');
    const switchServer = async () => {
      await element.evaluate((node, url) => node.setAttribute('server', url), second.url);
      await expect.poll(() => ui.picker.textContent()).not.toContain('Old');
      await waitForReady(page);
    };
    const backToOld = async () => {
      await element.evaluate((node, url) => node.setAttribute('server', url), fixture.server.url);
      await expect.poll(() => ui.picker.textContent()).toContain('Old');
    };
    const oldTexts = async () => (await page.locator('ai-chat').evaluate((node) => node.shadowRoot!.textContent ?? '')).match(/Old [a-z]+/g) ?? [];

    // The next page of sessions.
    const sessionsPage = await hold(page, (url) => url.pathname === '/api/sessions' && url.searchParams.has('cursor'));
    await ui.picker.click();
    await ui.list.evaluate((list) => list.scrollTo({ top: list.scrollHeight }));
    await sessionsPage.held;
    await page.keyboard.press('Escape');
    await switchServer();
    sessionsPage.release();
    await page.unroute((url) => url.pathname === '/api/sessions');
    await ui.picker.click();
    await expect(ui.part('session-dropdown').textContent()).resolves.toContain('No conversations yet');
    await page.waitForLoadState('networkidle');
    expect(await oldTexts()).toEqual([]);
    await page.keyboard.press('Escape');

    // The latest messages of a session picked just before the switch.
    await backToOld();
    const { sessions } = await fetchApi<{ sessions: StoredSession[] }>(page, '/api/sessions?limit=50');
    const longOne = sessions.find((session) => session.title === 'Old long one')!;
    const latest = await hold(page, (url) => url.pathname === `/api/sessions/${longOne.id}/messages` && !url.searchParams.has('before'));
    void element.evaluate((node, id) => (node as HTMLElementTagNameMap['ai-chat']).selectSession(id), longOne.id);
    await latest.held;
    await switchServer();
    latest.release();
    await page.waitForLoadState('networkidle');
    expect(await oldTexts()).toEqual([]);
    await expect(ui.part('empty').isVisible()).resolves.toBe(true);

    // The older messages of the log, scrolled to just before the switch.
    await backToOld();
    await element.evaluate((node, id) => (node as HTMLElementTagNameMap['ai-chat']).selectSession(id), longOne.id);
    await ui.userMessages.filter({ hasText: 'Old question 26' }).waitFor();
    const older = await hold(page, (url) => url.pathname === `/api/sessions/${longOne.id}/messages` && url.searchParams.has('before'));
    await ui.messages.evaluate((log) => log.scrollTo({ top: 0 }));
    await older.held;
    await switchServer();
    older.release();
    await page.waitForLoadState('networkidle');
    expect(await oldTexts()).toEqual([]);
    await context.close();
  }, 60_000);

  it('queues a second send() made while the first reply is starting, instead of dropping it', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await sendAndWait(page, 'An existing session');
    await page.evaluate(() => {
      const element = document.querySelector('ai-chat')!;
      void element.send('First of two');
      void element.send('Second of two');
    });
    await ui.userMessages.filter({ hasText: 'Second of two' }).waitFor();
    await ui.assistantMessages.nth(2).and(page.locator('[data-status="complete"]')).waitFor();
    const stored = await messagesOf(page, await activeSessionId(page));
    expect(stored.filter((message) => message.role === 'user').map((message) => message.content)).toEqual(['An existing session', 'First of two', 'Second of two']);
    expect(stored.map((message) => message.status)).toEqual(Array(6).fill('complete'));
    await context.close();
  });

  it('keeps following a reply whose earlier stream ends late: a finished stream removes only itself', async () => {
    const { context, page, errors } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    // A host's client (the `client` property) whose streams end only when the test says so: the first stream, let go
    // of when the host hands the element a new client, ends after the new client's stream of the same reply began.
    await page.evaluate(() => {
      type Ended = { done: true; value: undefined };
      const at = '2026-12-01T00:00:00.000Z';
      const session = { id: 'a'.repeat(24), title: 'A long reply', model: 'demo', messageCount: 2, lastMessage: null, createdAt: at, updatedAt: at };
      const question = { id: 'b'.repeat(24), sessionId: session.id, role: 'user', content: 'Write a lot', model: null, status: 'complete', clientMessageId: 'c'.repeat(24), createdAt: at };
      const reply = { id: 'd'.repeat(24), sessionId: session.id, role: 'assistant', content: 'So far', model: 'demo', status: 'streaming', createdAt: at };
      const streams: Array<{ end(): void; send(event: unknown): void }> = [];
      const makeClient = () => ({
        users: { ensure: async () => 'host-token' },
        models: { list: async () => ({ models: [{ id: 'demo', label: 'Demo', provider: 'demo', default: true }] }) },
        config: { retrieve: async () => ({ limits: { contentMaxLength: 32000, titleMaxLength: 100 }, starters: [] }) },
        sessions: { list: async () => ({ sessions: [session], nextCursor: null }), retrieve: async () => session, stop: async () => undefined },
        messages: { list: async () => ({ messages: [question, reply], hasMore: false }) },
        chat: {
          stream() {
            const queue: unknown[] = [];
            let wake: (() => void) | null = null;
            let ended = false;
            const stream = {
              send(event: unknown) { queue.push(event); wake?.(); },
              end() { ended = true; wake?.(); },
              abort() { /* like a real abort, the end arrives a little later: when the test calls end() */ },
              async *[Symbol.asyncIterator]() {
                for (;;) {
                  if (queue.length) yield queue.shift();
                  else if (ended) return;
                  else await new Promise<void>((resolve) => (wake = resolve));
                }
              },
            };
            streams.push(stream);
            return stream;
          },
        },
      });
      Object.assign(window, { streams, makeClient, reply, question });
      document.body.innerHTML = '<ai-chat></ai-chat>';
      (document.querySelector('ai-chat') as unknown as { client: unknown }).client = makeClient();
    });
    const ui = parts(page);
    await ui.stop.waitFor();
    await expect.poll(() => page.evaluate(() => (window as unknown as { streams: unknown[] }).streams.length)).toBe(1);
    await page.evaluate(() => {
      (document.querySelector('ai-chat') as unknown as { client: unknown }).client = (window as unknown as { makeClient(): unknown }).makeClient();
    });
    await expect.poll(() => page.evaluate(() => (window as unknown as { streams: unknown[] }).streams.length)).toBe(2);
    await ui.stop.waitFor();
    // The first stream ends now; the second one still follows the reply.
    await page.evaluate(() => (window as unknown as { streams: Array<{ end(): void }> }).streams[0]!.end());
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await expect(ui.stop.isVisible()).resolves.toBe(true);
    await page.evaluate(() => {
      const { streams, reply, question } = window as unknown as { streams: Array<{ send(event: unknown): void; end(): void }>; reply: Record<string, unknown>; question: Record<string, unknown> };
      streams[1]!.send({ type: 'message-start', userMessage: question, assistantMessage: { ...reply, content: '' } });
      streams[1]!.send({ type: 'text-delta', messageId: reply.id, delta: 'So far, and the rest.' });
      streams[1]!.send({ type: 'message-end', message: { ...reply, content: 'So far, and the rest.', status: 'complete' } });
      streams[1]!.end();
    });
    await ui.assistantMessages.first().and(page.locator('[data-status="complete"]')).waitFor();
    await expect(ui.assistantMessages.first().locator('.content').textContent()).resolves.toBe('So far, and the rest.');
    await expect(ui.send.isVisible()).resolves.toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});
