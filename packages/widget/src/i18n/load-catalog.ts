import type { LocaleTag, Strings } from './catalog.js';
import { en } from './locales/en.js';

// One dynamic import per language: the bundler makes each its own chunk, fetched only when that language is chosen.
const LOADERS: Record<Exclude<LocaleTag, 'en'>, () => Promise<{ default: Strings }>> = {
  es: () => import('./locales/es.js'),
  fr: () => import('./locales/fr.js'),
  de: () => import('./locales/de.js'),
  pt: () => import('./locales/pt.js'),
  it: () => import('./locales/it.js'),
  nl: () => import('./locales/nl.js'),
  pl: () => import('./locales/pl.js'),
  tr: () => import('./locales/tr.js'),
  ru: () => import('./locales/ru.js'),
  uk: () => import('./locales/uk.js'),
  ar: () => import('./locales/ar.js'),
  he: () => import('./locales/he.js'),
  hi: () => import('./locales/hi.js'),
  ja: () => import('./locales/ja.js'),
  ko: () => import('./locales/ko.js'),
  'zh-CN': () => import('./locales/zh-CN.js'),
};

const loaded = new Map<LocaleTag, Promise<Strings>>([['en', Promise.resolve(en)]]);

/**
 * The texts of one built-in language. English is part of the bundle; every other language is a chunk of its own
 * (`chunks/<tag>-<hash>.js` next to the script-tag bundle), fetched the first time it is asked for and shared by
 * every element on the page. A failed fetch is not remembered, so the next request tries again.
 */
export function loadCatalog(tag: LocaleTag): Promise<Strings> {
  let catalog = loaded.get(tag);
  if (!catalog) {
    catalog = LOADERS[tag as Exclude<LocaleTag, 'en'>]().then((module) => module.default);
    catalog.catch(() => loaded.delete(tag));
    loaded.set(tag, catalog);
  }
  return catalog;
}
