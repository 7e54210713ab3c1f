import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openVisitor, saveScreenshot, type BrowserVisitor } from './support/browser.js';
import { ChatElement } from './support/chat-element.js';
import { startChatServer, type ChatServerProcess } from './support/chat-server.js';
import { runAsStory } from './support/story-steps.js';

// The demo page that `npm start` serves, on a phone-sized screen.
describe('the demo page on a phone', () => {
  let server: ChatServerProcess;
  let browser: Browser;
  let visitor: BrowserVisitor;
  let chat: ChatElement;
  runAsStory(() => ({ 'chat server': server }));

  beforeAll(async () => {
    server = await startChatServer();
    browser = await launchChromium();
    visitor = await openVisitor(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    chat = new ChatElement(visitor.page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const pageWidth = () => visitor.page.evaluate(() => ({ viewport: innerWidth, content: document.documentElement.scrollWidth }));

  it('fits the screen and chats', async () => {
    await visitor.page.goto(server.url);
    expect(await pageWidth()).toEqual({ viewport: 390, content: 390 });
    await chat.send('Hello from a phone');
    const reply = await chat.watchReply(1);
    expect(reply.text).toContain('offline demo model');
    await saveScreenshot(visitor.page, 'demo-page-mobile', '01-after-reply');
  });

  // The demo reply has a code block with a line much wider than a phone: it must scroll inside the chat, not widen
  // the page.
  it('still fits the screen after a reply with a wide code block', async () => {
    expect(await pageWidth()).toEqual({ viewport: 390, content: 390 });
  });
});
