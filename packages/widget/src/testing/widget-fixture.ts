import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, startFakeOpenAI, startTestServer, type FakeVendorServer, type TestServer } from '@ai-chat/testkit';

/** The second model the widget tests offer next to the demo: an OpenAI-compatible model served by a fake vendor. */
export const FAKE_MODEL = { id: 'fake-gpt', label: 'Fake GPT' } as const;

/** A real server (demo model plus a fake OpenAI-compatible model), its fake vendor and one Chromium. */
export interface WidgetFixture {
  server: TestServer;
  vendor: FakeVendorServer;
  browser: Browser;
  close(): Promise<void>;
}

/** Starts everything a widget test file needs (`env`: more server settings); call `close()` in `afterAll`. */
export async function startWidgetFixture(options: { env?: Record<string, string> } = {}): Promise<WidgetFixture> {
  const vendor = await startFakeOpenAI();
  const models = [{ id: FAKE_MODEL.id, label: FAKE_MODEL.label, provider: 'openai-compatible', model: 'gpt-fake', baseURL: vendor.baseURL, apiKey: 'test-key' }];
  const env = { AI_CHAT_MODELS: JSON.stringify(models), ...options.env };
  const [server, browser] = await Promise.all([startTestServer({ env }), launchBrowser()]);
  return {
    server,
    vendor,
    browser,
    async close() {
      await Promise.all([browser.close(), server.close(), vendor.close()]);
    },
  };
}

/** Stable handles on the element's parts (Playwright's CSS engine pierces the open shadow root). */
export function parts(page: Page, host = 'ai-chat') {
  const part = (name: string): Locator => page.locator(`${host} [part~="${name}"]`);
  return {
    part,
    input: part('input'),
    send: part('send'),
    stop: part('stop'),
    picker: part('session-picker'),
    list: part('session-list'),
    items: part('session-item'),
    newSession: part('new-session'),
    modelPicker: part('model-picker'),
    messages: part('messages'),
    userMessages: page.locator(`${host} [part~="message"][part~="user"]`),
    assistantMessages: page.locator(`${host} [part~="message"][part~="assistant"]`),
    launcher: part('launcher'),
    panel: part('panel'),
  };
}

/** Waits until the element has loaded its visitor, models and sessions. */
export async function waitForReady(page: Page, host = 'ai-chat'): Promise<void> {
  await page.locator(`${host} [part~="model-picker"]`).waitFor();
}

/** Sends a message through the composer and waits for the reply to end. */
export async function sendAndWait(page: Page, text: string, host = 'ai-chat'): Promise<Locator> {
  const { input, assistantMessages } = parts(page, host);
  const before = await assistantMessages.count();
  await input.fill(text);
  await input.press('Enter');
  const reply = assistantMessages.nth(before);
  await reply.and(page.locator(':not([data-status="streaming"])')).waitFor();
  return reply;
}

/** Calls the API from the page as the element's visitor (the SDK keeps its token in localStorage per server). */
export async function fetchApi<T>(page: Page, path: string, server?: string): Promise<T> {
  return page.evaluate(async ({ path, server }) => {
    const origin = server ?? location.origin;
    const token = localStorage.getItem(`ai-chat:token:${origin}`);
    const response = await fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json();
  }, { path, server });
}

/** The id of the session the element shows (it is remembered per server and user in localStorage). */
export async function activeSessionId(page: Page, server?: string): Promise<string> {
  return page.evaluate((server) => {
    const prefix = `ai-chat:active-session:${server ?? location.origin}:`;
    const key = Object.keys(localStorage).find((name) => name.startsWith(prefix));
    return (key && localStorage.getItem(key)) || '';
  }, server);
}

/** A session as GET /api/sessions lists it (the fields the widget tests read). */
export type StoredSession = { id: string; title: string; model: string; messageCount: number };

/** A message as GET /api/sessions/:id/messages lists it (the fields the widget tests read). */
export type StoredMessage = { id: string; role: string; status: string; content: string; model: string | null };

/** The visitor's sessions as the server stores them (newest first). */
export async function sessionsOf(page: Page, server?: string): Promise<StoredSession[]> {
  return (await fetchApi<{ sessions: StoredSession[] }>(page, '/api/sessions', server)).sessions;
}

/** The messages of one of the visitor's sessions as the server stores them (oldest first). */
export async function messagesOf(page: Page, sessionId: string): Promise<StoredMessage[]> {
  return (await fetchApi<{ messages: StoredMessage[] }>(page, `/api/sessions/${sessionId}/messages`)).messages;
}
