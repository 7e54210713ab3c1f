import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startTestServer, type TestServer } from '@ai-chat/testkit';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, tokenStorageKey } from './chat-client.js';
import { createMemoryStorage } from './storage.js';

type Sdk = typeof import('./index.js');

const bundlePath = fileURLToPath(new URL('../dist/browser/ai-chat-sdk.js', import.meta.url));

/** The page loads the bundle as a host site would, and leaves the module on `window` for the test to drive. */
const HOST_PAGE = `<!doctype html><title>host</title><p>host site</p>
<script type="module">import * as sdk from '/ai-chat-sdk.js'; window.sdk = sdk;</script>`;

/** The SDK module as the host page loaded it. */
declare global {
  interface Window {
    sdk: Sdk;
  }
}

/** A host page on an origin of its own (another port), so every API call is a real cross-origin request. */
async function startHostPage(): Promise<{ url: string; server: Server }> {
  const bundle = readFileSync(bundlePath);
  const server = createServer((request, response) => {
    if (request.url === '/ai-chat-sdk.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html' }).end(HOST_PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

describe('the SDK bundle in Chromium against the real server', () => {
  let api: TestServer;
  let host: { url: string; server: Server };
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(bundlePath)) throw new Error(`${bundlePath} is missing: run \`npm run build\` first (npm test builds first)`);
    [api, host, browser] = await Promise.all([
      startTestServer(),
      startHostPage(),
      launchBrowser(),
    ]);
    page = await browser.newPage();
    await page.goto(host.url);
    await page.waitForFunction(() => window.sdk !== undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => host?.server.close(resolve));
    await api?.close();
  });

  it('streams a reply in the page, keeps the visitor in localStorage, and finds the history after a reload', async () => {
    const result = await page.evaluate(async (baseUrl) => {
      const { ChatClient } = window.sdk;
      const client = new ChatClient({ baseUrl });
      const session = await client.sessions.create();
      const stream = client.chat.stream({ sessionId: session.id, content: 'Hello from Chromium' });
      const types: string[] = [];
      for await (const event of stream) types.push(event.type);
      return { sessionId: session.id, types, text: await stream.text(), keys: Object.keys(localStorage) };
    }, api.url);

    expect(result.types[0]).toBe('message-start');
    expect(result.types.at(-1)).toBe('message-end');
    expect(result.text.length).toBeGreaterThan(20);
    expect(result.keys).toEqual([tokenStorageKey(api.url)]);

    await page.reload();
    await page.waitForFunction(() => window.sdk !== undefined);
    const afterReload = await page.evaluate(async ({ baseUrl, sessionId }) => {
      const { ChatClient } = window.sdk;
      const { messages } = await new ChatClient({ baseUrl }).messages.list(sessionId);
      return { contents: messages.map((message) => message.content), token: localStorage.getItem(Object.keys(localStorage)[0]!) };
    }, { baseUrl: api.url, sessionId: result.sessionId });
    expect(afterReload.contents).toEqual(['Hello from Chromium', result.text]);

    // The page's visitor is a real one on the server: Node sees the same stored reply with its token.
    const storage = createMemoryStorage();
    storage.setItem(tokenStorageKey(api.url), afterReload.token!);
    const { messages } = await new ChatClient({ baseUrl: api.url, storage }).messages.list(result.sessionId);
    expect(messages[1]?.content).toBe(result.text);
  });

  it('aborts a stream in the page with APIUserAbortError and turns server errors into typed errors', async () => {
    const result = await page.evaluate(async (baseUrl) => {
      const { ChatClient, APIUserAbortError, NotFoundError } = window.sdk;
      const client = new ChatClient({ baseUrl });
      const session = await client.sessions.create();
      const stream = client.chat.stream({ sessionId: session.id, content: 'Stop me' });
      let aborted = false;
      try {
        for await (const event of stream) if (event.type === 'text-delta') stream.abort();
      } catch (error) {
        aborted = error instanceof APIUserAbortError;
      }
      const missing = await client.sessions.retrieve('65a0000000000000000000ff').catch((error: unknown) => error);
      return {
        aborted,
        isNotFound: missing instanceof NotFoundError,
        requestId: (missing as InstanceType<Sdk['NotFoundError']>).requestId,
      };
    }, api.url);
    expect(result.aborted).toBe(true);
    expect(result.isNotFound).toBe(true);
    // The request id comes through CORS (exposed header or body) for support requests.
    expect(result.requestId).toBeTruthy();
  });
});
