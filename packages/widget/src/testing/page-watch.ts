import type { Page } from 'playwright-core';

/** What the element told the page: the `ai-error` details and the `ai-session-change` session ids, in order. */
export interface SeenEvents {
  errors: Array<{ name?: string; type?: string; message?: string }>;
  changes: Array<string | null>;
}

/**
 * Records every `ai-error` and `ai-session-change` the page's `<ai-chat>` fires, and every POST /api/chat body the
 * page sends: `chats` fills as requests go out, `seen()` reads the events recorded so far.
 */
export async function watch(page: Page): Promise<{ chats: Array<Record<string, unknown>>; seen: () => Promise<SeenEvents> }> {
  const chats: Array<Record<string, unknown>> = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/chat') chats.push(request.postDataJSON());
  });
  await page.evaluate(() => {
    const seen: { errors: unknown[]; changes: unknown[] } = { errors: [], changes: [] };
    (window as unknown as { seen: typeof seen }).seen = seen;
    const element = document.querySelector('ai-chat')!;
    element.addEventListener('ai-error', (event) => {
      const error = (event as Event & { error: { name?: string; type?: string; message?: string } }).error;
      seen.errors.push({ name: error?.name, type: error?.type, message: error?.message });
    });
    element.addEventListener('ai-session-change', (event) => seen.changes.push((event as Event & { sessionId: string | null }).sessionId));
  });
  const seen = () => page.evaluate(() => (window as unknown as { seen: SeenEvents }).seen);
  return { chats, seen };
}
