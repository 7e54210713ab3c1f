import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScenario, startFakeOpenAI, type FakeVendorServer } from '@ai-chat/testkit';
import { launchChromium, openVisitor, saveScreenshot, type BrowserVisitor } from './support/browser.js';
import { ChatElement } from './support/chat-element.js';
import { startChatServer, type ChatServerProcess } from './support/chat-server.js';
import { runAsStory } from './support/story-steps.js';

// The anonymous visitor's story on the demo page that `npm start` serves, against the CLI with two models: the
// offline demo (default) and an OpenAI-compatible one answered by a fake vendor on 127.0.0.1.
const SUITE = 'visitor-story';
const FAKE_REPLY = 'Hello from the fake vendor, streamed word by word so that the page can show it as it arrives.';
const FIRST_QUESTION = 'What should I pack for a weekend in Lisbon?';
const SECOND_QUESTION = 'Translate good morning into Portuguese';

describe('an anonymous visitor on the demo page', () => {
  runAsStory(() => ({ 'chat server': server }));
  let vendor: FakeVendorServer;
  let server: ChatServerProcess;
  let browser: Browser;
  let visitor: BrowserVisitor;
  let chat: ChatElement;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    vendor = await startFakeOpenAI({ respond: () => fakeScenario.reply(FAKE_REPLY, { chunkDelayMs: 25 }) });
    const models = [{ id: 'fake-gpt', label: 'Fake GPT', provider: 'openai-compatible', baseURL: vendor.baseURL }];
    server = await startChatServer({ AI_CHAT_MODELS: JSON.stringify(models), AI_CHAT_DEFAULT_MODEL: 'demo' });
    browser = await launchChromium();
    visitor = await openVisitor(browser);
    chat = new ChatElement(visitor.page);
  });

  const closeVisitor = async () => {
    pageErrors.push(...visitor.errors);
    await visitor.context.close();
  };

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await vendor?.close();
  });

  const tokenKey = () => `ai-chat:token:${server.url}`;
  const readToken = (page = visitor.page) => page.evaluate((key) => localStorage.getItem(key), tokenKey());

  it('gives a first-time visitor an identity kept in localStorage', async () => {
    expect((await visitor.context.storageState()).origins).toEqual([]);
    await visitor.page.goto(server.url);
    await visitor.page.waitForFunction((key) => localStorage.getItem(key) !== null, tokenKey());
    // 128 random bits are at least 22 base64url characters.
    expect(await readToken()).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    await expect.poll(() => chat.part('input').isEditable()).toBe(true);
    await saveScreenshot(visitor.page, SUITE, '01-first-visit');
  });

  it('streams the reply to a first message into the log', async () => {
    await chat.send(FIRST_QUESTION);
    await expect.poll(() => chat.userMessages.allTextContents()).toEqual([expect.stringContaining(FIRST_QUESTION)]);
    const reply = await chat.watchReply(1);
    expect(reply.text).toContain('offline demo model');
    // Seen at several lengths before the end: the reply was painted as it streamed, not all at once.
    expect(reply.lengthsSeen.length).toBeGreaterThanOrEqual(3);
    await saveScreenshot(visitor.page, SUITE, '02-first-reply');
  });

  it('starts a new session with the other model, which answers through its vendor', async () => {
    await chat.part('model-picker').selectOption('fake-gpt');
    await chat.part('new-session').click();
    await expect.poll(() => chat.userMessages.count()).toBe(0);
    await chat.send(SECOND_QUESTION);
    const reply = await chat.watchReply(1);
    expect(reply.text).toContain(FAKE_REPLY);
    expect(reply.lengthsSeen.length).toBeGreaterThanOrEqual(3);
    const sentUpstream = JSON.stringify(vendor.requests.at(-1)?.body);
    expect(sentUpstream).toContain(SECOND_QUESTION);
    expect(sentUpstream).not.toContain(FIRST_QUESTION);
    await expect.poll(() => chat.userMessages.allTextContents()).toEqual([expect.stringContaining(SECOND_QUESTION)]);
  });

  it('lists both sessions in the dropdown with date, message count and preview, the active one marked', async () => {
    const sessions = await chat.readSessions();
    await saveScreenshot(visitor.page, SUITE, '03-session-dropdown');
    expect(sessions).toHaveLength(2);
    const [newest, oldest] = sessions as [(typeof sessions)[0], (typeof sessions)[0]];
    expect(newest).toMatchObject({ isActive: true, text: expect.stringContaining('2 messages') });
    expect(newest.text).toContain('Fake GPT');
    expect(newest.text).toContain(FAKE_REPLY.slice(0, 40));
    expect(oldest).toMatchObject({ isActive: false, text: expect.stringContaining('2 messages') });
    expect(oldest.text).toContain('Demo');
    expect(oldest.text).toContain('Hello! I am the offline demo model.');
    for (const session of sessions) {
      expect(Math.abs(Date.parse(session.dateTime ?? '') - Date.now())).toBeLessThan(120_000);
    }
    await chat.closeSessions();
  });

  it('switches back and forth, each session showing its own history', async () => {
    await chat.selectSession(FIRST_QUESTION.slice(0, 20));
    await expect.poll(() => chat.userMessages.allTextContents()).toEqual([expect.stringContaining(FIRST_QUESTION)]);
    expect(await chat.assistantMessages.allTextContents()).toEqual([expect.stringContaining('offline demo model')]);
    await saveScreenshot(visitor.page, SUITE, '04-switched-to-first');

    await chat.selectSession('Fake GPT');
    await expect.poll(() => chat.userMessages.allTextContents()).toEqual([expect.stringContaining(SECOND_QUESTION)]);
    expect(await chat.assistantMessages.allTextContents()).toEqual([expect.stringContaining(FAKE_REPLY)]);

    // End on the older session, so that the reload below shows the remembered one, not merely the most recent.
    await chat.selectSession(FIRST_QUESTION.slice(0, 20));
    await expect.poll(() => chat.userMessages.allTextContents()).toEqual([expect.stringContaining(FIRST_QUESTION)]);
  });

  it('brings both sessions and the active one back after a reload', async () => {
    const token = await readToken();
    await visitor.page.reload();
    await expect.poll(() => chat.userMessages.allTextContents()).toEqual([expect.stringContaining(FIRST_QUESTION)]);
    expect(await chat.assistantMessages.allTextContents()).toEqual([expect.stringContaining('offline demo model')]);
    const sessions = await chat.readSessions();
    expect(sessions.map((session) => session.isActive)).toEqual([false, true]);
    expect(sessions[1]?.text).toContain('Hello! I am the offline demo model.');
    expect(await readToken()).toBe(token);
    await saveScreenshot(visitor.page, SUITE, '05-after-reload');
    await chat.closeSessions();
  });

  it('finds the history again in a new browser context with the same storage', async () => {
    const storageState = await visitor.context.storageState();
    await closeVisitor();
    visitor = await openVisitor(browser, { storageState });
    chat = new ChatElement(visitor.page);
    await visitor.page.goto(server.url);
    await expect.poll(() => chat.userMessages.allTextContents()).toEqual([expect.stringContaining(FIRST_QUESTION)]);
    const sessions = await chat.readSessions();
    expect(sessions).toHaveLength(2);
    expect(sessions.map((session) => session.isActive)).toEqual([false, true]);
    await saveScreenshot(visitor.page, SUITE, '06-new-context-same-storage');
  });

  it('deletes a session, for good', async () => {
    const items = await chat.openSessions();
    const doomed = items.filter({ hasText: 'Fake GPT' });
    await doomed.hover();
    await doomed.locator('[part~="session-delete"]').click();
    await saveScreenshot(visitor.page, SUITE, '07-confirm-delete');
    await chat.part('session-delete-confirm').click();
    await expect.poll(async () => (await chat.readSessions()).map((session) => session.text)).toEqual([
      expect.stringContaining('Hello! I am the offline demo model.'),
    ]);
    await chat.closeSessions();

    await visitor.page.reload();
    await expect.poll(() => chat.userMessages.allTextContents()).toEqual([expect.stringContaining(FIRST_QUESTION)]);
    const sessions = await chat.readSessions();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.text).not.toContain('Fake GPT');
    await saveScreenshot(visitor.page, SUITE, '08-after-delete');
  });

  it('kept the pages free of errors throughout', async () => {
    await closeVisitor();
    expect(pageErrors).toEqual([]);
  });
});
