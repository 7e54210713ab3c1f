import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSeriousA11yViolations, testDatabaseUri } from '@ai-chat/testkit';
import { launchChromium, openVisitor, saveScreenshot, type BrowserVisitor } from './support/browser.js';
import { ChatElement } from './support/chat-element.js';
import { assertBuilt, REPO_ROOT } from './support/chat-server.js';
import { startProcess, type RunningProcess } from './support/child-process.js';
import { runAsStory } from './support/story-steps.js';

// The identified path: examples/koa-mount (a Koa app with its own sign-in that mounts the chat router under /chat)
// started with its `npm start` script; Alice signs in on a laptop and on a phone (two browser contexts that share
// nothing) and finds the same conversations on both; Bob asks a question before signing in, finds it in his account
// afterwards, and sees none of Alice's.
const SUITE = 'identified-story';
const FIRST = 'Remind me to renew the parking permit';
const SECOND = 'Also book the meeting room for Friday';
const BOB_QUESTION = 'Do you sell gift cards?';

describe('examples/koa-mount: a signed-in user finds the same history on every browser', () => {
  runAsStory(() => ({ 'koa-mount app': app }));
  let app: RunningProcess;
  let url: string;
  let browser: Browser;
  let laptop: BrowserVisitor;
  let phone: BrowserVisitor;
  let bob: BrowserVisitor;
  let aliceSessionId: string | null = null;
  let requestedAfterSignOut: string[] = [];

  beforeAll(async () => {
    assertBuilt();
    app = startProcess(process.execPath, ['server.js'], {
      cwd: `${REPO_ROOT}examples/koa-mount`,
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        AI_CHAT_DEMO_DELAY_MS: '5',
        MONGODB_URI: testDatabaseUri('koa_mount'),
        IDENTITY_SECRET: 'an-identity-secret-of-at-least-32-characters',
        APP_KEYS: 'a-cookie-key-for-the-test',
      },
    });
    url = (await app.waitForOutput(/open (http:\/\/\S+)/, { timeoutMs: 30_000 }))[1]!;
    browser = await launchChromium();
    laptop = await openVisitor(browser);
    phone = await openVisitor(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    bob = await openVisitor(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  async function signIn(page: Page, user: string, password: string): Promise<ChatElement> {
    await page.goto(url);
    await page.getByLabel('User').fill(user);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const chat = new ChatElement(page);
    await expect.poll(() => chat.part('input').isEditable()).toBe(true);
    return chat;
  }

  it('refuses a wrong password with the app\'s own sign-in', async () => {
    await laptop.page.goto(url);
    await laptop.page.getByLabel('User').fill('alice');
    await laptop.page.getByLabel('Password').fill('not-her-password');
    await laptop.page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => laptop.page.getByRole('alert').textContent()).toContain('Wrong user or password');
    expect(await laptop.page.locator('ai-chat[user-token]').count()).toBe(0);
    expect(await findSeriousA11yViolations(laptop.page)).toEqual([]);
    await saveScreenshot(laptop.page, SUITE, '01-wrong-password');
  });

  it('gives the signed-in page a short-lived token for the chat, and chats', async () => {
    const chat = await signIn(laptop.page, 'alice', 'alice-password');
    const token = (await chat.host.getAttribute('user-token')) ?? '';
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { sub: string; iat: number; exp: number };
    expect(claims.sub).toBe('alice');
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(15 * 60);
    // Before any reply: a wide code block in one is a known problem of the element (see e2e/html-embed.test.ts).
    expect(await findSeriousA11yViolations(laptop.page)).toEqual([]);

    await chat.send(FIRST);
    const reply = await chat.watchReply(1);
    expect(reply.text).toContain('offline demo model');
    await saveScreenshot(laptop.page, SUITE, '02-alice-on-laptop');
  });

  it('shows Alice the same conversation on her phone, where she goes on with it', async () => {
    const chat = await signIn(phone.page, 'alice', 'alice-password');
    await expect.poll(() => chat.userMessages.allTextContents()).toEqual([expect.stringContaining(FIRST)]);
    const sessions = await chat.readSessions();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ isActive: true, text: expect.stringContaining('2 messages') });
    await chat.closeSessions();

    await chat.send(SECOND);
    const reply = await chat.watchReply(2);
    expect(reply.text).toContain(SECOND);
    await saveScreenshot(phone.page, SUITE, '03-alice-on-phone');
  });

  it('shows the phone\'s messages on the laptop after a reload', async () => {
    await laptop.page.reload();
    const chat = new ChatElement(laptop.page);
    await expect.poll(() => chat.userMessages.allTextContents()).toEqual([expect.stringContaining(FIRST), expect.stringContaining(SECOND)]);
    const sessions = await chat.readSessions();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.text).toContain('4 messages');
    await saveScreenshot(laptop.page, SUITE, '04-laptop-after-reload');
    await chat.closeSessions();
  });

  it('lets Bob ask before signing in, then finds that conversation in his account and none of Alice\'s', async () => {
    await bob.page.goto(url);
    const launcher = new ChatElement(bob.page, 'ai-chat[mode="launcher"]');
    await launcher.part('launcher').click();
    await expect.poll(() => launcher.part('input').isEditable()).toBe(true);
    await launcher.send(BOB_QUESTION);
    await launcher.watchReply(1);
    await saveScreenshot(bob.page, SUITE, '05-bob-asks-before-sign-in');

    const chat = await signIn(bob.page, 'bob', 'bob-password');
    await expect.poll(() => chat.userMessages.allTextContents()).toEqual([expect.stringContaining(BOB_QUESTION)]);
    const sessions = await chat.readSessions();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.text).not.toContain(FIRST);
    await saveScreenshot(bob.page, SUITE, '06-bob-signed-in');
  });

  it('leaves no way into Alice\'s chats in the browser once she signs out', async () => {
    aliceSessionId = await laptop.page.evaluate(() => {
      const remembered = Object.keys(localStorage).filter((key) => key.startsWith('ai-chat:active-session:/chat:'));
      return remembered.map((key) => localStorage.getItem(key)).find((id) => id && /^[0-9a-f]{24}$/.test(id)) ?? null;
    });
    expect(aliceSessionId).toMatch(/^[0-9a-f]{24}$/);
    const requested: string[] = [];
    laptop.page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    await laptop.page.getByRole('button', { name: 'Sign out' }).click();
    await laptop.page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await laptop.page.locator('ai-chat[user-token]').count()).toBe(0);
    // The sign-in page's anonymous chat has started (a new visitor, its models and sessions) once the network is idle.
    await laptop.page.waitForLoadState('networkidle');
    const stored = await laptop.page.evaluate(() => Object.entries(localStorage).filter(([key]) => key.startsWith('ai-chat:token:')));
    expect(stored).toHaveLength(1);
    for (const [, token] of stored) {
      const response = await fetch(`${url}/chat/api/sessions`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await response.json()) as { sessions?: Array<{ title: string }> };
      expect(body.sessions ?? []).toEqual([]);
    }
    requestedAfterSignOut = requested;
  });

  // The element remembers the active session per server and per user: the next visitor of the browser never asks for
  // Alice's session.
  it('does not carry Alice\'s active session over to the next visitor of the browser', () => {
    expect(requestedAfterSignOut).not.toContain(`/chat/api/sessions/${aliceSessionId}`);
  });

  it('kept the pages free of errors', () => {
    const isExpected = (error: string) =>
      // The wrong-password page answers 401 on purpose.
      /^http 401: POST \S+\/login$/.test(error);
    expect([...laptop.errors, ...phone.errors, ...bob.errors].filter((error) => !isExpected(error))).toEqual([]);
  });
});
