import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LocaleTag, Strings } from './catalog.js';
import { describeError } from './describe-error.js';
import { formatMessage, type MessageValues } from './format-message.js';
import { loadCatalog } from './load-catalog.js';
import { en } from './locales/en.js';
import { findPageLanguage, isRightToLeft, resolveLocale } from './resolve-locale.js';

/** What the controller reads from the element it serves. */
export interface LocaleHost extends ReactiveControllerHost, HTMLElement {
  /** The `locale` attribute: a BCP 47 tag the host page chose, or nothing to follow the page and the browser. */
  readonly locale?: string | undefined;
  /** The host page's overrides of any text, laid over the chosen language. */
  readonly strings?: Partial<Strings> | undefined;
}

/**
 * Chooses the element's language and keeps it current: the `locale` attribute, else the closest `lang` of the page,
 * else `navigator.languages`, matched to the built-in catalogs (English when none fits). Only the chosen language's
 * chunk is fetched; until it arrives the element keeps the language it has. The host's `strings` are laid on top.
 * It also fills plurals and placeholders in that locale, and gives the direction (`rtl` for Arabic and Hebrew).
 */
export class LocaleController implements ReactiveController {
  /** The built-in catalog in use. */
  tag: LocaleTag = 'en';
  /** The locale that numbers and dates are formatted in (the visitor's own tag when its language is the catalog's). */
  formatLocale = 'en';
  /** The writing direction of the language in use. */
  dir: 'ltr' | 'rtl' = 'ltr';

  readonly #host: LocaleHost;
  #catalog: Strings = en;
  #merged: { catalog: Strings; overrides: Partial<Strings> | undefined; strings: Strings } | null = null;
  #requestedLocale: string | undefined;
  // The language asked for last (`<tag> <formatLocale>`): a slower load of an earlier choice never wins over it.
  #target = 'en en';
  #generation = 0;
  #loaded: Promise<void> = Promise.resolve();
  #observer: MutationObserver | null = null;
  readonly #handleLanguageChange = () => this.resolve();

  constructor(host: LocaleHost) {
    this.#host = host;
    host.addController(this);
  }

  /** Settles once the language chosen last is loaded and shown (or failed to load, leaving the previous one). */
  get loaded(): Promise<void> {
    return this.#loaded;
  }

  /** Every text in the chosen language, with the host's `strings` on top. */
  get strings(): Strings {
    const overrides = this.#host.strings;
    const merged = this.#merged;
    if (merged?.catalog === this.#catalog && merged.overrides === overrides) return merged.strings;
    const strings = { ...this.#catalog, ...overrides } as Strings;
    this.#merged = { catalog: this.#catalog, overrides, strings };
    return strings;
  }

  hostConnected(): void {
    // Any `lang` on the page may change (a site's own language switcher): follow it, and the browser's too.
    if (typeof MutationObserver === 'function' && this.#host.ownerDocument) {
      this.#observer = new MutationObserver(this.#handleLanguageChange);
      this.#observer.observe(this.#host.ownerDocument.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
    }
    globalThis.addEventListener?.('languagechange', this.#handleLanguageChange);
    this.resolve();
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#observer = null;
    globalThis.removeEventListener?.('languagechange', this.#handleLanguageChange);
  }

  hostUpdate(): void {
    if (this.#host.locale !== this.#requestedLocale) this.resolve();
  }

  /** Chooses the language again from the attribute, the page and the browser, and loads it when it changed. */
  resolve(): void {
    this.#requestedLocale = this.#host.locale;
    const candidates = [this.#host.locale, this.#host.isConnected ? findPageLanguage(this.#host) : undefined, ...(globalThis.navigator?.languages ?? [])];
    const { tag, formatLocale } = resolveLocale(candidates);
    const target = `${tag} ${formatLocale}`;
    if (target === this.#target) return;
    this.#target = target;
    const generation = ++this.#generation;
    this.#loaded = loadCatalog(tag).then(
      (catalog) => {
        if (generation !== this.#generation) return;
        Object.assign(this, { tag, formatLocale, dir: isRightToLeft(tag) ? 'rtl' : 'ltr' });
        this.#catalog = catalog;
        this.#host.requestUpdate();
      },
      () => undefined, // a chunk that failed to load leaves the language shown; the next change tries again
    );
  }

  /** A text with its placeholders and plural choices filled in the chosen locale (see `formatMessage`). */
  format(key: keyof Strings, values: MessageValues): string {
    return formatMessage(this.strings[key], values, this.formatLocale);
  }

  /** "12 messages" in the visitor's language and plural rules (a host's old `messageCountOne` still wins for 1). */
  formatMessageCount(count: number): string {
    const overrides = this.#host.strings;
    if (count === 1 && overrides?.messageCountOne && !overrides.messageCount) return overrides.messageCountOne;
    return this.format('messageCount', { count });
  }

  /** The visitor-facing sentence for a failure, in the chosen language (see `describeError`). */
  describeError(error: unknown): string {
    return describeError(error, this.strings, this.formatLocale);
  }
}
