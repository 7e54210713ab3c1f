import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScenario, openPage } from '@ai-chat/testkit';
import { FAKE_MODEL, parts, sendAndWait, startWidgetFixture, waitForReady, type WidgetFixture } from '../testing/widget-fixture.js';
import { LOCALE_TAGS, PLURAL_MESSAGES, type LocaleTag, type Strings } from './catalog.js';
import { formatMessage } from './format-message.js';
import { ALL_CATALOGS, SAME_AS_ENGLISH } from './testing/all-catalogs.js';

let fixture: WidgetFixture;

beforeAll(async () => {
  fixture = await startWidgetFixture();
});

afterAll(async () => {
  await fixture?.close();
});

/** Every text a visitor can see or hear in the element (shadow roots included), and any that does not fit its box. */
interface Rendered {
  texts: string[];
  overflowing: string[];
}

/** Reads the element's visible texts and accessible names, and checks each text node lies inside its own box. */
function readRendered(page: Page): Promise<Rendered> {
  return page.evaluate(() => {
    const host = document.querySelector('ai-chat')!;
    const texts: string[] = [];
    const overflowing: string[] = [];
    const panel = host.shadowRoot!.querySelector('[part~="panel"]')!.getBoundingClientRect();
    const isShown = (element: Element) => element.getClientRects().length > 0 && getComputedStyle(element).visibility !== 'hidden';
    const boxOf = (element: Element): Element => {
      let box: Element | null = element;
      while (box && getComputedStyle(box).display === 'inline') box = box.parentElement;
      return box ?? element;
    };
    const walk = (root: ShadowRoot | Element) => {
      for (const element of root.querySelectorAll('*')) {
        if (element.shadowRoot) walk(element.shadowRoot);
        if (!isShown(element) || element.closest('[aria-hidden="true"]')) continue;
        for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
          const value = element.getAttribute(name)?.trim();
          if (value) texts.push(value);
        }
        for (const node of element.childNodes) {
          const text = node.nodeType === Node.TEXT_NODE ? node.textContent?.replace(/\s+/g, ' ').trim() : '';
          if (!text) continue;
          texts.push(text);
          const range = document.createRange();
          range.selectNodeContents(node);
          const rect = range.getBoundingClientRect();
          const box = boxOf(element).getBoundingClientRect();
          // Visually hidden text (a 1px clipped box) is read, not seen: only its words count.
          if (box.width <= 1 || rect.width === 0) continue;
          const outside = rect.left < box.left - 1 || rect.right > box.right + 1 || rect.left < panel.left - 1 || rect.right > panel.right + 1;
          if (outside) overflowing.push(`${text} (${Math.round(rect.left)}–${Math.round(rect.right)} in ${Math.round(box.left)}–${Math.round(box.right)})`);
        }
      }
    };
    walk(host.shadowRoot!);
    return { texts, overflowing };
  });
}

/** The English texts as a visitor would meet them: placeholders filled, plurals for a few counts. */
function englishTexts(tag: LocaleTag): Set<string> {
  const allowed = new Set<string>(SAME_AS_ENGLISH[tag] ?? []);
  const english = new Set<string>();
  for (const [key, value] of Object.entries(ALL_CATALOGS.en) as [keyof Strings, string][]) {
    if (allowed.has(key)) continue;
    if (key in PLURAL_MESSAGES) for (const count of [1, 2, 3, 5]) english.add(formatMessage(value, { count, seconds: count }, 'en'));
    else english.add(value.replace(/\{\w+\}/g, '').trim());
  }
  return english;
}

async function setLocale(page: Page, tag: LocaleTag) {
  await page.evaluate((tag) => document.querySelector('ai-chat')!.setAttribute('locale', tag), tag);
  await page.locator(`ai-chat [part~="panel"][lang="${tag}"]`).waitFor();
}

describe('<ai-chat> in 17 languages', () => {
  it('shows every text in the chosen language (no English left but names), each inside its box, loading only that language', async () => {
    const { context, page, errors } = await openPage(fixture.browser, { viewport: { width: 900, height: 800 } });
    const chunks: string[] = [];
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith('/widget/chunks/')) chunks.push(path.slice('/widget/chunks/'.length));
    });
    await page.goto(fixture.server.url);
    // A narrow panel, the width of a launcher's, where long words are most likely to break out.
    await page.evaluate(() => {
      document.body.innerHTML = '<div style="padding:16px"><ai-chat style="display:block;width:380px;height:680px"></ai-chat></div>';
    });
    await waitForReady(page);
    const ui = parts(page);
    await ui.modelPicker.selectOption(FAKE_MODEL.id);
    fixture.vendor.enqueue(fakeScenario.reply('Sure, here it is.'));
    await sendAndWait(page, 'Hi there');
    // The server tries the vendor twice before the reply fails: a failed reply shows its notice and Retry.
    fixture.vendor.enqueue(fakeScenario.httpError(500), fakeScenario.httpError(500));
    await sendAndWait(page, 'Again please');
    expect(chunks, 'English is built in').toEqual([]);

    // What a visitor typed, the replies and model names are content, not the element's texts.
    const content = ['Hi there', 'Again please', 'Sure, here it is.', FAKE_MODEL.label, 'Demo (offline)', 'Demo'];
    const isContent = (text: string) => content.some((item) => item.includes(text) || text.includes(item));
    const seen = new Map<LocaleTag, Rendered>(LOCALE_TAGS.map((tag) => [tag, { texts: [], overflowing: [] }]));
    const look = async (tag: LocaleTag) => {
      const rendered = await readRendered(page);
      seen.get(tag)!.texts.push(...rendered.texts);
      seen.get(tag)!.overflowing.push(...rendered.overflowing);
    };
    // First with a conversation (messages, a failed reply, the dropdown), then empty, in every language.
    for (const tag of LOCALE_TAGS) {
      const before = chunks.length;
      await setLocale(page, tag);
      await look(tag);
      await ui.picker.click();
      await ui.list.waitFor();
      await look(tag);
      await page.keyboard.press('Escape');
      await ui.list.waitFor({ state: 'detached' });
      const loaded = chunks.slice(before);
      if (tag === 'en') expect(loaded).toEqual([]);
      else expect(loaded.length === 1 && loaded[0]!.startsWith(`${tag}-`), `${tag} loaded ${JSON.stringify(loaded)}`).toBe(true);
    }
    await ui.newSession.click();
    await ui.part('empty').waitFor();
    for (const tag of LOCALE_TAGS) {
      await setLocale(page, tag);
      await look(tag);
    }
    // Each language was fetched once, however often it was chosen.
    expect(chunks).toHaveLength(LOCALE_TAGS.length - 1);

    const problems: string[] = [];
    for (const tag of LOCALE_TAGS) {
      const strings = ALL_CATALOGS[tag];
      const { texts: all, overflowing } = seen.get(tag)!;
      const texts = all.filter((text) => !isContent(text));
      expect(texts, tag).toContain(strings.emptyTitle);
      expect(texts, tag).toContain(strings.sessionsLabel);
      expect(texts, tag).toContain(formatMessage(strings.messageCount, { count: 4 }, tag));
      const english = englishTexts(tag);
      const leftovers = tag === 'en' ? [] : texts.filter((text) => english.has(text));
      // In a language not written in Latin letters, any Latin word is English that slipped through.
      const isLatinScript = ['en', 'es', 'fr', 'de', 'pt', 'it', 'nl', 'pl', 'tr'].includes(tag);
      const latinWords = isLatinScript ? [] : texts.filter((text) => /[A-Za-z]{3,}/.test(text));
      if (leftovers.length || latinWords.length) problems.push(`${tag}: English left: ${JSON.stringify([...new Set([...leftovers, ...latinWords])])}`);
      if (overflowing.length) problems.push(`${tag}: overflowing: ${JSON.stringify([...new Set(overflowing)])}`);
    }
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it('follows the page: the closest lang, then <html lang>, then the browser, and changes when the page does', async () => {
    const { context, page } = await openPage(fixture.browser, { locale: 'ja-JP' });
    await page.goto(fixture.server.url);
    const panel = page.locator('ai-chat [part~="panel"]');
    await page.evaluate(() => {
      document.documentElement.removeAttribute('lang');
      document.body.innerHTML = '<ai-chat style="display:block;height:600px"></ai-chat>';
    });
    await expect.poll(() => panel.getAttribute('lang')).toBe('ja');
    await page.evaluate(() => (document.documentElement.lang = 'ar-EG'));
    await expect.poll(() => panel.getAttribute('lang')).toBe('ar');
    await expect(panel.getAttribute('dir')).resolves.toBe('rtl');
    await page.evaluate(() => {
      const wrapper = Object.assign(document.createElement('div'), { lang: 'pl' });
      wrapper.append(document.querySelector('ai-chat')!);
      document.body.append(wrapper);
    });
    await expect.poll(() => panel.getAttribute('lang')).toBe('pl');
    await expect(panel.getAttribute('dir')).resolves.toBe('ltr');
    // The attribute wins over the page; a language with no catalog falls back to the next choice.
    await page.evaluate(() => document.querySelector('ai-chat')!.setAttribute('locale', 'pt-BR'));
    await expect.poll(() => panel.getAttribute('lang')).toBe('pt');
    await page.evaluate(() => document.querySelector('ai-chat')!.setAttribute('locale', 'sv'));
    await expect.poll(() => panel.getAttribute('lang')).toBe('pl');
    await context.close();
  });

  it('lets the host override any text on top of the chosen language', async () => {
    const { context, page } = await openPage(fixture.browser);
    await page.goto(fixture.server.url);
    await page.evaluate(() => {
      const element = document.querySelector('ai-chat')!;
      element.strings = { send: 'Los!' };
      element.setAttribute('locale', 'de');
    });
    await waitForReady(page);
    await page.locator('ai-chat [part~="panel"][lang="de"]').waitFor();
    const ui = parts(page);
    await expect(ui.send.getAttribute('aria-label')).resolves.toBe('Los!');
    await expect(ui.newSession.getAttribute('aria-label')).resolves.toBe(ALL_CATALOGS.de.newSession);
    await context.close();
  });
});
