import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, startTestServer, type TestServer } from '@ai-chat/testkit';
import { activeSessionId, fetchApi, messagesOf, parts, sendAndWait, startWidgetFixture, waitForReady, type StoredSession, type WidgetFixture } from './testing/widget-fixture.js';

// Issue 10: what the element shows is what happened. Each test here failed on the element before that issue.
// Here: answers that arrive late, sends made at once, streams that end out of order.

let fixture: WidgetFixture;
let second: TestServer;

beforeAll(async () => {
  [fixture, second] = await Promise.all([startWidgetFixture(), startTestServer()]);
});

afterAll(async () => {
  await Promise.all([fixture?.close(), second?.close()]);
});

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
