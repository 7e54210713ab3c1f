import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openVisitor, saveScreenshot, type BrowserVisitor } from './support/browser.js';
import { ChatElement } from './support/chat-element.js';
import { REPO_ROOT, startChatServer, type ChatServerProcess } from './support/chat-server.js';
import { startProcess, type RunningProcess } from './support/child-process.js';
import { findFreePort } from './support/free-port.js';
import { runAsStory } from './support/story-steps.js';

// examples/react built with Vite as its `build` script does, served by `vite preview`, against the CLI server on
// another origin; the page reacts to the element's events and drives it through its methods.
const SUITE = 'react';
const EXAMPLE = `${REPO_ROOT}examples/react`;
const VITE = `${REPO_ROOT}node_modules/vite/bin/vite.js`;

describe('examples/react: the element in a React page', () => {
  runAsStory(() => ({ 'chat server': server, 'vite preview': preview }));
  let server: ChatServerProcess;
  let outDir: string;
  let preview: RunningProcess | undefined;
  let pageUrl: string;
  let browser: Browser;
  let visitor: BrowserVisitor;
  let chat: ChatElement;

  beforeAll(async () => {
    server = await startChatServer();
    outDir = await mkdtemp(join(tmpdir(), 'ai-chat-react-'));
    browser = await launchChromium();
    visitor = await openVisitor(browser);
    chat = new ChatElement(visitor.page);
  });

  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
    await server?.stop();
    await rm(outDir, { recursive: true, force: true });
  });

  const activity = () => visitor.page.locator('.activity li').allTextContents();

  it('builds with Vite, without zod in the bundle', async () => {
    const build = startProcess(process.execPath, [VITE, 'build', '--outDir', outDir, '--emptyOutDir'], {
      cwd: EXAMPLE,
      env: { VITE_AI_CHAT_SERVER: server.url },
    });
    const [code] = await once(build.child, 'exit');
    expect(code, build.output()).toBe(0);
    expect(build.output()).toMatch(/built in/);
    expect(build.output()).not.toMatch(/zod/i);
  });

  it('renders the page and hears the element become ready', async () => {
    const port = await findFreePort();
    // PORT, as the example's README says (vite.config.js reads it).
    preview = startProcess(process.execPath, [VITE, 'preview', '--outDir', outDir], { cwd: EXAMPLE, env: { PORT: String(port) } });
    pageUrl = (await preview.waitForOutput(/(http:\/\/127\.0\.0\.1:\d+)/))[1]!;
    await visitor.page.goto(pageUrl);
    await expect.poll(activity).toContain('Ready');
    await expect.poll(() => chat.part('input').isEditable()).toBe(true);
  });

  it('drives the element from a React button and counts the replies it reports', async () => {
    await visitor.page.getByRole('button', { name: 'Ask “What can you do?”' }).click();
    await expect.poll(() => chat.userMessages.allTextContents()).toEqual([expect.stringContaining('What can you do?')]);
    const reply = await chat.watchReply(1);
    expect(reply.text).toContain('offline demo model');
    await expect.poll(() => visitor.page.locator('.reply-count').textContent()).toBe('1');
    await expect.poll(() => visitor.page.locator('.session-id').textContent()).toMatch(/^[0-9a-f]{24}$/);
    const events = await activity();
    expect(events).toContain('Sent: What can you do?');
    expect(events.some((event) => /^Reply complete: \d+ characters$/.test(event))).toBe(true);
    await saveScreenshot(visitor.page, SUITE, '01-reply-counted');
  });

  it('keeps a message from being sent when the page cancels ai-message-send', async () => {
    await chat.send('my password is hunter2');
    await expect.poll(activity).toContain('Blocked a message that mentions a password');
    expect(await chat.userMessages.allTextContents()).toEqual([expect.stringContaining('What can you do?')]);
  });

  it('starts a new conversation through the element\'s method and hears the session change', async () => {
    const first = await visitor.page.locator('.session-id').textContent();
    await visitor.page.getByRole('button', { name: 'New conversation' }).click();
    await expect.poll(() => visitor.page.locator('.session-id').textContent()).not.toBe(first);
    await expect.poll(() => chat.userMessages.count()).toBe(0);
    await saveScreenshot(visitor.page, SUITE, '02-new-conversation');
  });

  it('kept the page free of errors', () => {
    expect(visitor.errors).toEqual([]);
  });

  // @lit/react's createComponent sets properties in a layout effect, after the element is connected (so does plain
  // `append(element); element.server = url`); the element starts after its first update, so it uses that server.
  it('uses a server property set right after the element was connected, as @lit/react sets it', async () => {
    const probe = await openVisitor(browser);
    await probe.page.goto(pageUrl);
    const outcome = await probe.page.evaluate(async (serverUrl) => {
      const element = document.createElement('ai-chat');
      document.body.append(element);
      element.server = serverUrl;
      return new Promise<string>((resolve) => {
        element.addEventListener('ai-ready', () => resolve('ready'));
        element.addEventListener('ai-error', (event) => resolve(`error: ${String(event.error)}`));
      });
    }, server.url);
    await probe.context.close();
    expect(outcome).toBe('ready');
  });
});
