import type { AiChatStrings } from '../strings.js';

/**
 * Every text the element shows or announces, in one language (see `AiChatStrings`). Each built-in locale is typed
 * as the whole of it, so a key missing from any language fails the typecheck.
 */
export type Strings = AiChatStrings;

/** The languages the element speaks out of the box (BCP 47 tags); English is built in, the others load on demand. */
export const LOCALE_TAGS = ['en', 'es', 'fr', 'de', 'pt', 'it', 'nl', 'pl', 'tr', 'ru', 'uk', 'ar', 'he', 'hi', 'ja', 'ko', 'zh-CN'] as const;

/** One of {@link LOCALE_TAGS}. */
export type LocaleTag = (typeof LOCALE_TAGS)[number];

/** The keys of {@link Strings} whose text is a plural choice, with the variable it counts. */
export const PLURAL_MESSAGES = { messageCount: 'count', errorRateLimitedWait: 'seconds' } as const satisfies Partial<Record<keyof Strings, string>>;
