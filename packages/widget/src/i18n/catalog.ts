import type { AiChatStrings } from '../strings.js';

/**
 * Every text the element shows or announces, in one language. Messages may hold `{name}` placeholders and plural
 * choices in ICU form (`{count, plural, one {# message} other {# messages}}`, see `formatMessage`). Each built-in
 * locale is typed as the whole of it, so a key missing from any language fails the typecheck.
 */
export interface Strings extends AiChatStrings {
  /** The accessible name of the message log. */
  messagesLabel: string;
  /** `{count}`: the number of messages in a session; a plural message. */
  messageCount: string;

  /** Visitor-facing sentences, one per kind of failure. */
  errorRateLimited: string;
  /** `{seconds}`: how long to wait (the server's `Retry-After`); a plural message. */
  errorRateLimitedWait: string;
  errorTooLong: string;
  errorOffline: string;
  errorTimeout: string;
  errorServer: string;
  errorUnavailable: string;
  errorProvider: string;
  errorProviderTimeout: string;
  errorProviderAuth: string;
  errorInterrupted: string;
  errorNotFound: string;
  errorUnauthorized: string;
  errorConflict: string;
  errorInvalid: string;
  errorUnknown: string;

  /** Said by the polite live region. `{text}`: the whole reply, once it is complete. */
  announceReply: string;
  announceWriting: string;
  announceStopped: string;
  announceRetrying: string;
  announceFeedbackUp: string;
  announceFeedbackDown: string;
  announceFeedbackCleared: string;
  /** `{title}`: the conversation's title. */
  announceSessionOpened: string;
  announceNewSession: string;
  announceSessionDeleted: string;
}

/** The languages the element speaks out of the box (BCP 47 tags); English is built in, the others load on demand. */
export const LOCALE_TAGS = ['en', 'es', 'fr', 'de', 'pt', 'it', 'nl', 'pl', 'tr', 'ru', 'uk', 'ar', 'he', 'hi', 'ja', 'ko', 'zh-CN'] as const;

/** One of {@link LOCALE_TAGS}. */
export type LocaleTag = (typeof LOCALE_TAGS)[number];

/** The keys of {@link Strings} whose text is a plural choice, with the variable it counts. */
export const PLURAL_MESSAGES = { messageCount: 'count', errorRateLimitedWait: 'seconds' } as const satisfies Partial<Record<keyof Strings, string>>;
