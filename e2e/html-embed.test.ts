import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSeriousA11yViolations } from '@ai-chat/testkit';
import { launchChromium, openVisitor, saveScreenshot, type BrowserVisitor } from './support/browser.js';
import { ChatElement } from './support/chat-element.js';
import { startChatServer, REPO_ROOT, type ChatServerProcess } from './support/chat-server.js';
import { startProcess, type RunningProcess } from './support/child-process.js';
import { findFreePort } from './support/free-port.js';
import { runAsStory } from './support/story-steps.js';

// examples/html-embed started with its own `npm start` script (node serve.js) on one origin, the chat server on
// another, with CORS limited to the page's origin as a production deployment would have it.
const SUITE = 'html-embed';

describe('examples/html-embed: a plain page embedding the element from another origin', () => {
  runAsStory(() => ({ 'chat server': server, 'html-embed site': site }));
  let server: ChatServerProcess;
  let site: RunningProcess;
  let siteUrl: string;
  let browser: Browser;
  let visitor: BrowserVisitor;
  let inline: ChatElement;
  let launcher: ChatElement;
  let violations: Awaited<ReturnType<typeof findSeriousA11yViolations>> = [];
  const apiCalls: Array<{ method: string; url: string; allowOrigin: string | undefined }> = [];

  beforeAll(async () => {
    const port = await findFreePort();
    server = await startChatServer({ ALLOWED_ORIGINS: `http://127.0.0.1:${port}` });
    site = startProcess(process.execPath, ['serve.js'], {
      cwd: `${REPO_ROOT}examples/html-embed`,
      env: { PORT: String(port), HOST: '127.0.0.1', AI_CHAT_SERVER: server.url },
    });
    siteUrl = (await site.waitForOutput(/open (http:\/\/\S+)/))[1]!;
    browser = await launchChromium();
    visitor = await openVisitor(browser);
    visitor.page.on('response', (response) => {
      if (new URL(response.url()).pathname.startsWith('/api/')) {
        apiCalls.push({ method: response.request().method(), url: response.url(), allowOrigin: response.headers()['access-control-allow-origin'] });
      }
    });
    inline = new ChatElement(visitor.page, 'ai-chat[mode="inline"]');
    launcher = new ChatElement(visitor.page, 'ai-chat[mode="launcher"]');
  });

  afterAll(async () => {
    await browser?.close();
    await site?.stop();
    await server?.stop();
  });

  it('loads the element from the chat server into a page of another origin', async () => {
    expect(new URL(siteUrl).origin).not.toBe(new URL(server.url).origin);
    await visitor.page.goto(siteUrl);
    await expect.poll(() => inline.part('input').isEditable()).toBe(true);
    await expect(inline.part('input').getAttribute('placeholder')).resolves.toBe('Ask about your bike…');
    await expect(launcher.part('launcher').isVisible()).resolves.toBe(true);
    await expect(launcher.part('panel').isVisible()).resolves.toBe(false);
    await expect.poll(() => launcher.part('input').isEditable()).toBe(true);
  });

  // Each element has its own ChatClient; clients that share a storage share one new visitor.
  it('makes one visitor for the two elements of the page', async () => {
    const created = () => apiCalls.filter((call) => call.method === 'POST' && new URL(call.url).pathname === '/api/users');
    // Both elements start their clients as soon as they connect; wait until both have a session list loaded.
    await expect.poll(() => apiCalls.filter((call) => call.method === 'GET' && new URL(call.url).pathname === '/api/sessions').length).toBeGreaterThanOrEqual(2);
    expect(created()).toHaveLength(1);
    const tokens = await visitor.page.evaluate(() => Object.keys(localStorage).filter((key) => key.includes('token')).map((key) => localStorage.getItem(key)));
    expect(tokens).toHaveLength(1);
  });

  it('chats in the inline element, across origins', async () => {
    await inline.send('My rear brake squeaks, what can I do?');
    const reply = await inline.watchReply(1);
    expect(reply.text).toContain('offline demo model');
    expect(reply.lengthsSeen.length).toBeGreaterThanOrEqual(3);
    const chatCall = apiCalls.find((call) => new URL(call.url).pathname === '/api/chat');
    expect(chatCall?.url.startsWith(server.url)).toBe(true);
    expect(chatCall?.allowOrigin).toBe(new URL(siteUrl).origin);
    await saveScreenshot(visitor.page, SUITE, '01-inline-reply');
  });

  it('has no serious accessibility problems with a reply on screen, but the known one', async () => {
    violations = await findSeriousA11yViolations(visitor.page);
    expect(violations.filter((violation) => violation.id !== 'scrollable-region-focusable')).toEqual([]);
  });

  // A code block wider than the chat (the demo reply's long `AI_CHAT_MODELS=…` line) scrolls sideways and takes
  // focus, so keyboard users can scroll it (axe `scrollable-region-focusable`).
  it('lets keyboard users scroll a wide code block', () => {
    expect(violations.map((violation) => violation.id)).not.toContain('scrollable-region-focusable');
  });

  it('applies the page\'s --ai-chat-* theme to each element', async () => {
    const style = (element: ChatElement, part: string, property: string) =>
      element.part(part).first().evaluate((node, name) => getComputedStyle(node).getPropertyValue(name), property);
    expect(await style(inline, 'message user', 'background-color')).toBe('rgb(230, 244, 241)');
    expect(await style(inline, 'panel', 'font-family')).toContain('Georgia');
    expect(await style(launcher, 'launcher', 'background-color')).toBe('rgb(194, 65, 12)');
  });

  it('opens the launcher panel and chats in it', async () => {
    await launcher.part('launcher').click();
    await expect.poll(() => launcher.part('panel').isVisible()).toBe(true);
    await expect.poll(() => launcher.part('input').evaluate((node) => node === (node.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await launcher.send('And the front brake?');
    const reply = await launcher.watchReply(1);
    expect(reply.text).toContain('offline demo model');
    expect(await inline.userMessages.allTextContents()).toEqual([expect.stringContaining('My rear brake squeaks')]);
    await saveScreenshot(visitor.page, SUITE, '02-launcher-open');
    await launcher.part('launcher').click();
    await expect.poll(() => launcher.part('panel').isVisible()).toBe(false);
  });

  it('fits a 390 px phone: no sideways scrolling, the inline chat as wide as the screen, the launcher in its corner', async () => {
    const phone = await openVisitor(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    try {
      await phone.page.goto(siteUrl);
      const phoneInline = new ChatElement(phone.page, 'ai-chat[mode="inline"]');
      const phoneLauncher = new ChatElement(phone.page, 'ai-chat[mode="launcher"]');
      await expect.poll(() => phoneInline.part('input').isEditable()).toBe(true);
      expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      const chatBox = (await phone.page.locator('ai-chat[mode="inline"]').boundingBox())!;
      expect(chatBox.x).toBeGreaterThanOrEqual(0);
      expect(chatBox.x + chatBox.width).toBeLessThanOrEqual(390);
      const button = (await phoneLauncher.part('launcher').boundingBox())!;
      expect(button.x + button.width).toBeLessThanOrEqual(390);
      expect(button.x).toBeGreaterThan(390 / 2);
      await saveScreenshot(phone.page, SUITE, '03-phone');
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.context.close();
    }
  });

  it('kept the page free of errors', () => {
    expect(visitor.errors).toEqual([]);
  });
});
