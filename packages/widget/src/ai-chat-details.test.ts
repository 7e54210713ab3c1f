import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScenario, openPage } from '@ai-chat/testkit';
import { activeSessionId, FAKE_MODEL, fetchApi, parts, sendAndWait, startWidgetFixture, waitForReady, type WidgetFixture } from './testing/widget-fixture.js';

let fixture: WidgetFixture;

beforeAll(async () => {
  fixture = await startWidgetFixture();
});

afterAll(async () => {
  await fixture?.close();
});

describe('<ai-chat> details a visitor notices', () => {
  it('formats session dates in the element’s locale (de, then fr), relative and exact', async () => {
    const { context, page } = await openPage(fixture.browser, { timezoneId: 'UTC' });
    await page.clock.install();
    await page.goto(fixture.server.url);
    await page.evaluate(() => document.querySelector('ai-chat')!.setAttribute('locale', 'de'));
    await waitForReady(page);
    const ui = parts(page);
    await sendAndWait(page, 'Guten Tag');
    const { sessions } = await fetchApi<{ sessions: Array<{ lastMessage: { createdAt: string } }> }>(page, '/api/sessions');
    const when = new Date(sessions[0]!.lastMessage.createdAt);
    const exact = (locale: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(when);

    await page.clock.fastForward('02:00:00');
    await ui.picker.click();
    const time = ui.items.first().locator('time');
    await expect(time.textContent()).resolves.toBe('vor 2 Stunden');
    await expect(time.getAttribute('title')).resolves.toBe(exact('de'));
    await page.keyboard.press('Escape');

    await page.evaluate(() => document.querySelector('ai-chat')!.setAttribute('locale', 'fr'));
    await ui.picker.click();
    await expect(time.textContent()).resolves.toBe('il y a 2 heures');
    await expect(time.getAttribute('title')).resolves.toBe(exact('fr'));
    expect(exact('fr')).not.toBe(exact('de'));
    await context.close();
  });

  it('never sends on Enter during an IME composition, and sends once it is committed', async () => {
    const { context, page } = await openPage(fixture.browser);
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/chat')) posts.push(request.url());
    });
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await ui.input.fill('こんにちは');
    const enter = (init: { isComposing?: boolean; keyCode?: number }) =>
      ui.input.evaluate((input, init) => input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true, composed: true, cancelable: true, ...init })), init);
    // A browser marks the Enter that picks a candidate as composing; some send keyCode 229 right after the commit.
    await expect(enter({ isComposing: true })).resolves.toBe(true);
    await ui.input.dispatchEvent('compositionstart');
    await expect(enter({})).resolves.toBe(true);
    await ui.input.dispatchEvent('compositionend');
    await expect(enter({ keyCode: 229 })).resolves.toBe(true);
    await page.waitForTimeout(150);
    expect(posts).toEqual([]);
    await expect(ui.userMessages.count()).resolves.toBe(0);
    await expect(ui.input.inputValue()).resolves.toBe('こんにちは');

    // A plain Enter after the composition sends, and Enter's default (a new line) is prevented.
    await expect(enter({})).resolves.toBe(false);
    await ui.userMessages.filter({ hasText: 'こんにちは' }).waitFor();
    expect(posts).toHaveLength(1);
    await expect(ui.input.inputValue()).resolves.toBe('');
    await context.close();
  });

  it('makes one session, not two, when a first visit sends twice at once', async () => {
    const { context, page } = await openPage(fixture.browser);
    const created: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/sessions') created.push(request.url());
    });
    await page.goto(fixture.server.url);
    await waitForReady(page);
    await page.evaluate(() => {
      const element = document.querySelector('ai-chat')!;
      void element.send('First at once');
      void element.send('Second at once');
    });
    const ui = parts(page);
    await ui.assistantMessages.first().and(page.locator(':not([data-status="streaming"])')).waitFor();
    await page.waitForTimeout(300);
    const { sessions } = await fetchApi<{ sessions: Array<{ id: string }> }>(page, '/api/sessions');
    expect(created).toHaveLength(1);
    expect(sessions).toHaveLength(1);
    expect(await activeSessionId(page)).toBe(sessions[0]!.id);
    await context.close();
  });

  it('stays on the session the visitor picked right after asking for a new one, and stores no empty session', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await sendAndWait(page, 'First topic');
    await ui.newSession.click();
    await ui.part('empty').waitFor();
    await sendAndWait(page, 'Second topic');
    const { sessions } = await fetchApi<{ sessions: Array<{ id: string; title: string }> }>(page, '/api/sessions');
    const first = sessions.find((session) => session.title === 'First topic')!;
    const created: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/sessions') created.push(request.url());
    });
    await page.evaluate((id) => {
      const element = document.querySelector('ai-chat')!;
      void element.newSession();
      void element.selectSession(id);
    }, first.id);
    await ui.userMessages.filter({ hasText: 'First topic' }).waitFor();
    await expect(ui.picker.textContent()).resolves.toContain('First topic');
    expect(await activeSessionId(page)).toBe(first.id);
    await expect(ui.userMessages.allTextContents()).resolves.toEqual([expect.stringContaining('First topic')]);
    // A new conversation is stored with its first message: asking for one stored nothing.
    expect(created).toEqual([]);
    await expect(fetchApi<{ sessions: unknown[] }>(page, '/api/sessions')).resolves.toMatchObject({ sessions: [expect.anything(), expect.anything()] });
    await context.close();
  });

  it('copies a code block with its Copy button', async () => {
    const { context, page } = await openPage(fixture.browser, { permissions: ['clipboard-read', 'clipboard-write'] });
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await ui.modelPicker.selectOption(FAKE_MODEL.id);
    const code = 'const answer = 42;\nconsole.log(`<b>${answer}</b>`);';
    fixture.vendor.enqueue(fakeScenario.reply(`Here you go:\n\n\`\`\`js\n${code}\n\`\`\`\n\nAnything else?`));
    const reply = await sendAndWait(page, 'Show me some code');
    const copy = reply.locator('button.copy');
    await expect(copy.textContent()).resolves.toContain('Copy');
    await expect(reply.locator('.code-lang').textContent()).resolves.toBe('js');
    await copy.click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(code);
    await expect(copy.locator('.copy-done').isVisible()).resolves.toBe(true);
    await expect(copy.locator('.copy-idle').isVisible()).resolves.toBe(false);
    await expect.poll(() => copy.locator('.copy-idle').isVisible(), { timeout: 3000 }).toBe(true);
    await context.close();
  });

  it('stays where the visitor scrolled during a long reply, offers "Jump to latest", and follows again after it', async () => {
    const { context, page } = await openPage(fixture.browser, { viewport: { width: 800, height: 600 }, reducedMotion: 'reduce' });
    await page.goto(fixture.server.url);
    await waitForReady(page);
    const ui = parts(page);
    await ui.modelPicker.selectOption(FAKE_MODEL.id);
    const lines = Array.from({ length: 80 }, (_, index) => `Line ${index}`);
    fixture.vendor.enqueue(fakeScenario.reply(lines.join('\n'), { chunkDelayMs: 10 }));
    await ui.input.fill('A long answer, please');
    await ui.input.press('Enter');
    const log = ui.messages;
    const position = () => log.evaluate((node) => ({ top: node.scrollTop, fromBottom: node.scrollHeight - node.scrollTop - node.clientHeight }));
    await expect.poll(() => log.evaluate((node) => node.scrollHeight > node.clientHeight * 2), { timeout: 10_000 }).toBe(true);
    // While following, the newest line is in view.
    expect((await position()).fromBottom).toBeLessThan(2);
    await expect(ui.part('jump').count()).resolves.toBe(0);

    await log.hover();
    await page.mouse.wheel(0, -100_000);
    await ui.part('jump').waitFor();
    await ui.assistantMessages.first().locator('.content', { hasText: 'Line 60' }).waitFor();
    // More text arrived below, and the visitor is still reading the top.
    expect((await position()).top).toBe(0);
    expect((await position()).fromBottom).toBeGreaterThan(100);

    await ui.part('jump').click();
    await expect(ui.part('jump').count()).resolves.toBe(0);
    await ui.assistantMessages.first().and(page.locator('[data-status="complete"]')).waitFor();
    await expect.poll(async () => (await position()).fromBottom).toBeLessThan(2);
    await expect(ui.assistantMessages.first().locator('.content').textContent()).resolves.toContain('Line 79');
    expect(await activeSessionId(page)).not.toBe('');
    await context.close();
  });
});
