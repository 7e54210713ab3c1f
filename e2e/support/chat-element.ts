import type { Locator, Page } from 'playwright-core';

/** What a visitor sees of one session in the dropdown. */
export interface SessionItemView {
  text: string;
  isActive: boolean;
  /** The `datetime` of the item's `<time>`, when it shows one. */
  dateTime: string | null;
}

/**
 * Drives one `<ai-chat>` through its `::part` names and roles (CONTRACT.md §3), the way a visitor uses it.
 * Playwright's CSS selectors pierce the element's open shadow root.
 */
export class ChatElement {
  readonly host: Locator;

  constructor(
    readonly page: Page,
    selector = 'ai-chat',
  ) {
    this.host = page.locator(selector).first();
  }

  /** The element's nodes with every one of the space-separated part names, e.g. `part('send')`, `part('message user')`. */
  part(names: string): Locator {
    return this.host.locator(names.split(/\s+/).map((name) => `[part~="${name}"]`).join(''));
  }

  /** The message log (role `log`). */
  get log(): Locator {
    return this.host.getByRole('log');
  }

  /** The visitor's messages in the log. */
  get userMessages(): Locator {
    return this.part('message user');
  }

  /** The assistant's messages in the log. */
  get assistantMessages(): Locator {
    return this.part('message assistant');
  }

  /** Types into the composer and presses the send button. */
  async send(text: string): Promise<void> {
    await this.part('input').fill(text);
    await this.part('send').click();
  }

  /**
   * Waits for the reply to the message just sent (the `count`-th assistant message) to finish, sampling its text
   * while it streams. Returns the distinct lengths it was seen at, the last one being the whole reply.
   */
  async watchReply(count: number, timeoutMs = 20_000): Promise<{ text: string; lengthsSeen: number[] }> {
    const reply = this.assistantMessages.nth(count - 1);
    await reply.waitFor({ timeout: timeoutMs });
    const lengthsSeen: number[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { text, isBusy } = await reply.evaluate((node) => ({
        text: node.querySelector('.content')?.textContent ?? '',
        isBusy: node.getAttribute('aria-busy') === 'true',
      }));
      if (text.length > 0 && text.length !== lengthsSeen.at(-1)) lengthsSeen.push(text.length);
      if (!isBusy) return { text: (await reply.textContent()) ?? '', lengthsSeen };
      if (Date.now() > deadline) throw new Error(`The reply was still streaming after ${timeoutMs} ms: ${text}`);
      await this.page.waitForTimeout(15);
    }
  }

  /** Opens the sessions dropdown (unless open) and returns its items. */
  async openSessions(): Promise<Locator> {
    const picker = this.part('session-picker');
    if ((await picker.getAttribute('aria-expanded')) !== 'true') await picker.click();
    await this.host.getByRole('listbox').waitFor();
    return this.host.getByRole('listbox').getByRole('option');
  }

  /** Closes the sessions dropdown if it is open. */
  async closeSessions(): Promise<void> {
    const picker = this.part('session-picker');
    if ((await picker.getAttribute('aria-expanded')) === 'true') await picker.click();
  }

  /** What each session of the dropdown shows, in order (opens the dropdown). */
  async readSessions(): Promise<SessionItemView[]> {
    const items = await this.openSessions();
    return items.evaluateAll((nodes) =>
      nodes.map((node) => ({
        text: (node.textContent ?? '').replace(/\s+/g, ' ').trim(),
        isActive: node.getAttribute('aria-selected') === 'true',
        dateTime: node.querySelector('time')?.getAttribute('datetime') ?? null,
      })),
    );
  }

  /** Opens the dropdown and clicks the session whose item contains `text`. */
  async selectSession(text: string): Promise<void> {
    const items = await this.openSessions();
    await items.filter({ hasText: text }).click();
  }
}
