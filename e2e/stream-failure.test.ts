import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScenario, startDatabaseProxy, startFakeOpenAI, testDatabaseUri, type DatabaseProxy, type FakeVendorServer } from '@ai-chat/testkit';
import { launchChromium, openVisitor, type BrowserVisitor } from './support/browser.js';
import { ChatElement } from './support/chat-element.js';
import { startChatServer, type ChatServerProcess } from './support/chat-server.js';

// The CLI reaches its database through a proxy that the test turns into a failing database while a reply streams:
// the stream must still end, and the element must show the failure on the reply and tell the host page.
const LONG_REPLY = Array.from({ length: 80 }, (_, index) => `word${index}`).join(' ');

describe('a reply whose server loses its database mid-reply', () => {
  let vendor: FakeVendorServer;
  let proxy: DatabaseProxy;
  let server: ChatServerProcess;
  let browser: Browser;
  let visitor: BrowserVisitor;

  beforeAll(async () => {
    vendor = await startFakeOpenAI({ respond: () => fakeScenario.reply(LONG_REPLY, { chunkDelayMs: 40 }) });
    proxy = await startDatabaseProxy(testDatabaseUri('e2e'));
    const models = [{ id: 'fake-gpt', label: 'Fake GPT', provider: 'openai-compatible', baseURL: vendor.baseURL, default: true }];
    server = await startChatServer({ MONGODB_URI: proxy.uri, AI_CHAT_MODELS: JSON.stringify(models) });
    browser = await launchChromium();
    visitor = await openVisitor(browser);
  });

  afterAll(async () => {
    await browser?.close();
    proxy?.heal();
    await server?.stop();
    await proxy?.close();
    await vendor?.close();
  });

  it('shows the error on the reply and sends the host page an ai-error with the typed SDK error', async () => {
    const { page } = visitor;
    const chat = new ChatElement(page);
    await page.goto(server.url);
    await page.evaluate(() => {
      const errors: unknown[] = [];
      (window as unknown as { aiErrors: unknown[] }).aiErrors = errors;
      document.querySelector('ai-chat')?.addEventListener('ai-error', (event) => {
        const error = (event as Event & { error: { name?: string; status?: number; type?: string } }).error;
        errors.push({ name: error?.name, status: error?.status, type: error?.type });
      });
    });
    await expect.poll(() => chat.part('input').isEditable()).toBe(true);
    await chat.send('Tell me a long story');
    const reply = chat.assistantMessages.first();
    await reply.getByText('word3', { exact: false }).waitFor();

    // From here on the database refuses every write: the reply's end cannot be stored.
    proxy.failCommands((command) => command.name === 'update' || command.name === 'findAndModify');
    await reply.locator('[part~="error"]').waitFor({ timeout: 15_000 });
    await expect(reply.getAttribute('aria-busy')).resolves.not.toBe('true');
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { aiErrors: unknown[] }).aiErrors))
      .toEqual([{ name: 'UnavailableError', status: 503, type: 'unavailable' }]);
    await expect(chat.part('send').isVisible()).resolves.toBe(true);
  });
});
