import { LOCALE_TAGS, type LocaleTag } from './catalog.js';

/** The catalog chosen for a visitor, and the locale that dates and numbers are formatted in. */
export interface ResolvedLocale {
  /** The built-in catalog whose texts are shown. */
  tag: LocaleTag;
  /** The requested tag when its language is the catalog's (`pt-BR`, `ar-EG`), so Intl formats for that region. */
  formatLocale: string;
}

const RIGHT_TO_LEFT = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'sd', 'ug', 'yi', 'dv', 'ckb']);
const BY_LANGUAGE = new Map<string, LocaleTag>(LOCALE_TAGS.map((tag) => [tag.split('-')[0]!, tag]));

/** A tag in its canonical form (`iw` → `he`, `EN-us` → `en-US`), or undefined when it is not a valid BCP 47 tag. */
function canonicalize(candidate: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(candidate.trim().replace(/_/g, '-'))[0];
  } catch {
    return undefined;
  }
}

/** The built-in catalog for one requested tag, matched on its language subtag (any Chinese → Simplified Chinese). */
function matchTag(canonical: string): LocaleTag | undefined {
  return BY_LANGUAGE.get(new Intl.Locale(canonical).language);
}

/**
 * Picks the built-in catalog for a visitor from tags in order of preference (the element's `locale`, the page's
 * `lang`, then `navigator.languages`): the first tag whose language has a catalog wins, matched on the language
 * subtag, so `pt-BR` gets Portuguese and `zh-Hans-SG` Simplified Chinese. English when none matches.
 */
export function resolveLocale(candidates: readonly (string | null | undefined)[]): ResolvedLocale {
  for (const candidate of candidates) {
    const canonical = candidate ? canonicalize(candidate) : undefined;
    const tag = canonical ? matchTag(canonical) : undefined;
    if (!canonical || !tag) continue;
    // Traditional Chinese is read with the Simplified texts, but its dates stay in the script the visitor asked for.
    return { tag, formatLocale: canonical };
  }
  return { tag: 'en', formatLocale: 'en' };
}

/** Whether a language is written right to left (Arabic, Hebrew, Persian, Urdu, …). */
export function isRightToLeft(tag: string): boolean {
  const canonical = canonicalize(tag);
  return canonical !== undefined && RIGHT_TO_LEFT.has(new Intl.Locale(canonical).language);
}

/**
 * The language the page gives an element: the `lang` of the element itself or its closest ancestor that has one,
 * crossing shadow roots up to the document, else `<html lang>`. An empty `lang` means "unknown" and is skipped.
 */
export function findPageLanguage(element: Element): string | undefined {
  let node: Element | null = element;
  while (node) {
    const lang = node.getAttribute('lang')?.trim();
    if (lang) return lang;
    const parent: Element | null = node.parentElement;
    node = parent ?? (node.getRootNode() as Partial<ShadowRoot>).host ?? null;
  }
  return element.ownerDocument?.documentElement?.lang?.trim() || undefined;
}
