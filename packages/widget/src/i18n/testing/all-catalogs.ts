import type { LocaleTag, Strings } from '../catalog.js';
import ar from '../locales/ar.js';
import de from '../locales/de.js';
import en from '../locales/en.js';
import es from '../locales/es.js';
import fr from '../locales/fr.js';
import he from '../locales/he.js';
import hi from '../locales/hi.js';
import it from '../locales/it.js';
import ja from '../locales/ja.js';
import ko from '../locales/ko.js';
import nl from '../locales/nl.js';
import pl from '../locales/pl.js';
import pt from '../locales/pt.js';
import ru from '../locales/ru.js';
import tr from '../locales/tr.js';
import uk from '../locales/uk.js';
import zhCN from '../locales/zh-CN.js';

/** Every built-in catalog, loaded at once (tests only: the element loads one language on demand). */
export const ALL_CATALOGS: Record<LocaleTag, Strings> = { en, es, fr, de, pt, it, nl, pl, tr, ru, uk, ar, he, hi, ja, ko, 'zh-CN': zhCN };

/**
 * Texts that are rightly the same as the English ones: the same word in that language (French "Conversations",
 * Dutch "Model"), not an untranslated leftover. Tests skip exactly these when they look for English.
 */
export const SAME_AS_ENGLISH: Partial<Record<LocaleTag, readonly (keyof Strings)[]>> = {
  fr: ['heading', 'sessionsLabel', 'messagesLabel', 'messageCountOne', 'imageBlocked'],
};
