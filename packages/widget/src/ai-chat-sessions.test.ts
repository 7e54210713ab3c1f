import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScenario, openPage } from '@ai-chat/testkit';
import { watch } from './testing/page-watch.js';
import { activeSessionId, FAKE_MODEL, fetchApi, parts, sendAndWait, sessionsOf, startWidgetFixture, waitForReady, type WidgetFixture } from './testing/widget-fixture.js';

// The visitor's conversations: kept apart, paged in, created once and only when something is sent.

let fixture: WidgetFixture;

beforeAll(async () => {
  fixture = await startWidgetFixture();
});

afterAll(async () => {
  await fixture?.close();
});

describe('<ai-chat> against a real server', () => {
  it('keeps two sessions with their own models, counts, previews and history, across a reload', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await ui.modelPicker.selectOption('demo');
    await sendAndWait(page, 'First question about demo');

    await ui.modelPicker.selectOption(FAKE_MODEL.id);
    await ui.newSession.click();
    await ui.part('empty').waitFor();
    fixture.vendor.enqueue(fakeScenario.reply('The fake model answers here.'));
    const reply = await sendAndWait(page, 'Second question for fake');
    await expect(reply.textContent()).resolves.toContain(FAKE_MODEL.label);
    await expect(reply.textContent()).resolves.toContain('The fake model answers here.');

    await ui.picker.click();
    await expect(ui.items.count()).resolves.toBe(2);
    const [newest, oldest] = [ui.items.nth(0), ui.items.nth(1)];
    await expect(newest.getAttribute('aria-selected')).resolves.toBe('true');
    await expect(oldest.getAttribute('aria-selected')).resolves.toBe('false');
    const newestText = await newest.textContent();
    expect(newestText).toContain('Second question for fake');
    expect(newestText).toContain(FAKE_MODEL.label);
    expect(newestText).toContain('2 messages');
    expect(newestText).toContain('The fake model answers here.');
    const oldestText = await oldest.textContent();
    expect(oldestText).toContain('First question about demo');
    expect(oldestText).toContain('Demo (offline)');
    expect(oldestText).toContain('2 messages');
    await expect(newest.locator('time').getAttribute('title')).resolves.toMatch(/\d/);

    await oldest.click();
    await expect(ui.list.isVisible()).resolves.toBe(false);
    await ui.userMessages.filter({ hasText: 'First question about demo' }).waitFor();
    await expect(ui.userMessages.allTextContents()).resolves.toEqual([expect.stringContaining('First question about demo')]);

    await page.reload();
    await waitForReady(page);
    await ui.userMessages.first().waitFor();
    await expect(ui.picker.textContent()).resolves.toContain('First question about demo');
    await expect(ui.userMessages.allTextContents()).resolves.toEqual([expect.stringContaining('First question about demo')]);
    await ui.picker.click();
    await expect(ui.items.count()).resolves.toBe(2);
    await expect(ui.items.nth(1).getAttribute('aria-selected')).resolves.toBe('true');
    await context.close();
  });

  it('pages in sessions past the first 20 as the dropdown scrolls, and older messages as the log scrolls up', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await sendAndWait(page, 'The oldest session');
    await page.evaluate(async () => {
      const token = localStorage.getItem(`ai-chat:token:${location.origin}`);
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      await Promise.all(Array.from({ length: 24 }, (_, index) => fetch('/api/sessions', { method: 'POST', headers, body: JSON.stringify({ title: `Session ${index + 1}` }) })));
      const { session } = await (await fetch('/api/sessions', { method: 'POST', headers, body: JSON.stringify({ title: 'Long one' }) })).json();
      for (let index = 1; index <= 30; index += 1) {
        await fetch('/api/chat', { method: 'POST', headers: { ...headers, accept: 'application/json' }, body: JSON.stringify({ sessionId: session.id, content: `Question ${index}`, model: 'fake-gpt' }) });
      }
    });
    await page.reload();
    await waitForReady(page);
    await ui.picker.click();
    // The first page, plus the remembered active session, which is older than that page.
    await expect(ui.items.count()).resolves.toBe(21);
    await ui.items.last().scrollIntoViewIfNeeded();
    await ui.list.evaluate((list) => list.scrollTo({ top: list.scrollHeight }));
    await expect.poll(() => ui.items.count()).toBe(26);
    await ui.items.filter({ hasText: 'The oldest session' }).waitFor();

    await ui.items.filter({ hasText: 'Long one' }).click();
    await ui.userMessages.filter({ hasText: 'Question 30' }).waitFor();
    const firstPage = await ui.userMessages.count();
    expect(firstPage).toBe(25);
    await ui.messages.evaluate((log) => log.scrollTo({ top: 0 }));
    await ui.userMessages.filter({ hasText: /^You: Question 1$/ }).waitFor();
    await expect(ui.userMessages.count()).resolves.toBe(30);
    await context.close();
  }, 40_000);

  it('makes one session, not two, when a first visit sends twice at once', async () => {
    const { context, page } = await openPage(fixture.browser);
    const created: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/sessions') created.push(request.url());
    });
    await page.goto(fixture.server.url);
    await waitForReady(page);
    await page.evaluate(() => {
      const element = document.querySelector('ai-chat')!;
      void element.send('First at once');
      void element.send('Second at once');
    });
    const ui = parts(page);
    await ui.assistantMessages.first().and(page.locator(':not([data-status="streaming"])')).waitFor();
    await page.waitForTimeout(300);
    const { sessions } = await fetchApi<{ sessions: Array<{ id: string }> }>(page, '/api/sessions');
    expect(created).toHaveLength(1);
    expect(sessions).toHaveLength(1);
    expect(await activeSessionId(page)).toBe(sessions[0]!.id);
    await context.close();
  });

  it('stays on the session the visitor picked right after asking for a new one, and stores no empty session', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await sendAndWait(page, 'First topic');
    await ui.newSession.click();
    await ui.part('empty').waitFor();
    await sendAndWait(page, 'Second topic');
    const { sessions } = await fetchApi<{ sessions: Array<{ id: string; title: string }> }>(page, '/api/sessions');
    const first = sessions.find((session) => session.title === 'First topic')!;
    const created: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/sessions') created.push(request.url());
    });
    await page.evaluate((id) => {
      const element = document.querySelector('ai-chat')!;
      void element.newSession();
      void element.selectSession(id);
    }, first.id);
    await ui.userMessages.filter({ hasText: 'First topic' }).waitFor();
    await expect(ui.picker.textContent()).resolves.toContain('First topic');
    expect(await activeSessionId(page)).toBe(first.id);
    await expect(ui.userMessages.allTextContents()).resolves.toEqual([expect.stringContaining('First topic')]);
    // A new conversation is stored with its first message: asking for one stored nothing.
    expect(created).toEqual([]);
    await context.close();
  });
});

// Issue 10: what the element shows is what happened. Each test here failed on the element before that issue.

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
