import { tokenStorageKey } from '@ai-chat/sdk';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScenario, startFakeOpenAI, testDatabaseUri, type FakeVendorServer } from '@ai-chat/testkit';
import { launchChromium, openVisitor, type BrowserVisitor } from './support/browser.js';
import { ChatElement } from './support/chat-element.js';
import { startChatServer, type ChatServerProcess } from './support/chat-server.js';
import { startSwitchingProxy, type SwitchingProxy } from './support/switching-proxy.js';

const WORDS = Array.from({ length: 80 }, (_, index) => `word${index}`);

/**
 * Two `ai-chat-server` processes on one database behind a tiny load balancer that the test switches between page
 * loads: a page reloaded onto the other process mid-reply follows the reply (written by the first) to its end, and
 * its Stop button stops it.
 */
describe('a page reloaded onto another server process while a reply streams', () => {
  let vendor: FakeVendorServer;
  let writer: ChatServerProcess;
  let other: ChatServerProcess;
  let proxy: SwitchingProxy;
  let browser: Browser;
  let visitor: BrowserVisitor;
  let chat: ChatElement;

  beforeAll(async () => {
    vendor = await startFakeOpenAI({ respond: () => fakeScenario.reply(WORDS.join(' '), { chunkDelayMs: 50 }) });
    const env = {
      MONGODB_URI: testDatabaseUri('e2e'),
      AI_CHAT_MODELS: JSON.stringify([{ id: 'fake-gpt', label: 'Fake GPT', provider: 'openai-compatible', baseURL: vendor.baseURL, default: true }]),
    };
    [writer, other] = await Promise.all([startChatServer(env), startChatServer(env)]);
    proxy = await startSwitchingProxy(writer.url);
    browser = await launchChromium();
    visitor = await openVisitor(browser);
    chat = new ChatElement(visitor.page);
  });

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await Promise.all([writer?.stop(), other?.stop()]);
    await vendor?.close();
  });

  /** Sends a message through the first process and waits until its reply shows some text. */
  async function sendThroughTheWriter(text: string, replyNumber: number) {
    proxy.switchTo(writer.url);
    await visitor.page.goto(proxy.url);
    await expect.poll(() => chat.part('input').isEditable()).toBe(true);
    await chat.send(text);
    await chat.assistantMessages.nth(replyNumber - 1).getByText('word3', { exact: false }).waitFor();
  }

  /** Reloads the page onto the other process; it shows the reply still streaming there. */
  async function reloadOntoTheOther(replyNumber: number) {
    proxy.switchTo(other.url);
    await visitor.page.reload();
    const reply = chat.assistantMessages.nth(replyNumber - 1);
    await reply.getByText('word3', { exact: false }).waitFor();
    return reply;
  }

  /** What the database holds of the visitor's one conversation, read through the API with the page's token. */
  async function storedMessages() {
    const token = await visitor.page.evaluate((key) => localStorage.getItem(key), tokenStorageKey(proxy.url));
    const headers = { Authorization: `Bearer ${token}` };
    const { sessions } = await (await fetch(`${other.url}/api/sessions`, { headers })).json();
    expect(sessions).toHaveLength(1);
    return (await (await fetch(`${other.url}/api/sessions/${sessions[0].id}/messages`, { headers })).json()).messages as Array<{ role: string; status: string; content: string }>;
  }

  it('follows the reply written by the first process to its end', async () => {
    await sendThroughTheWriter('Tell me a long story', 1);
    const reply = await reloadOntoTheOther(1);
    await reply.getByText(WORDS.at(-1)!, { exact: false }).waitFor({ timeout: 20_000 });
    await expect.poll(() => reply.getAttribute('aria-busy')).not.toBe('true');
    expect(proxy.requests.some((request) => request.method === 'POST' && request.path === '/api/chat' && request.target === other.url)).toBe(true);
    const stored = await storedMessages();
    expect(stored.map((message) => [message.role, message.status])).toEqual([['user', 'complete'], ['assistant', 'complete']]);
    expect(stored[1]!.content).toBe(WORDS.join(' '));
  });

  it('stops it with the Stop button of the reloaded page', async () => {
    await sendThroughTheWriter('And another one', 2);
    const reply = await reloadOntoTheOther(2);
    await chat.part('stop').click();
    await expect.poll(() => reply.getAttribute('aria-busy')).not.toBe('true');
    const shown = (await reply.locator('.content').textContent()) ?? '';
    expect(shown).not.toContain(WORDS.at(-1));
    const stored = await storedMessages();
    expect(stored.map((message) => [message.role, message.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
      ['user', 'complete'],
      ['assistant', 'stopped'],
    ]);
    expect(stored[3]!.content).not.toContain(WORDS.at(-1));
    expect(shown.trim()).toBe(stored[3]!.content.trim());
    expect(visitor.errors.filter((error) => error.startsWith('pageerror'))).toEqual([]);
  });
});
