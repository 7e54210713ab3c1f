import type { Strings } from './catalog.js';
import { formatMessage } from './format-message.js';

/** What the element knows about a failure: an SDK error, a failed message's `error`, or anything thrown. */
type ErrorLike = { name?: unknown; type?: unknown; retryAfter?: unknown; details?: unknown } | null | undefined;

const BY_TYPE: Record<string, keyof Strings> = {
  rate_limited: 'errorRateLimited',
  payload_too_large: 'errorTooLong',
  timeout: 'errorTimeout',
  internal: 'errorServer',
  unavailable: 'errorUnavailable',
  provider_error: 'errorProvider',
  provider_timeout: 'errorProviderTimeout',
  provider_auth: 'errorProviderAuth',
  interrupted: 'errorInterrupted',
  not_found: 'errorNotFound',
  unauthorized: 'errorUnauthorized',
  conflict: 'errorConflict',
  invalid_request: 'errorInvalid',
  unsupported_media_type: 'errorInvalid',
};

/** A 400 whose only complaint is the length of the message the visitor typed. */
function isContentTooLong(details: unknown): boolean {
  return Array.isArray(details) && details.some((detail: { path?: unknown; message?: unknown }) =>
    detail?.path === 'content' && /too (big|long)|at most|<=|maximum/i.test(String(detail.message ?? '')));
}

/**
 * The sentence a visitor reads for a failure, in their language: one per error type of the contract and of the
 * SDK (offline, timeout, rate limited with the wait when the server said, too long, …), never the server's own
 * English message. Returns an empty string for a request the visitor cancelled (nothing to show).
 * @example
 * describeError(new RateLimitError(…), strings, 'de'); // "Du sendest Nachrichten zu schnell. Versuche es in 30 Sekunden erneut."
 */
export function describeError(error: unknown, strings: Strings, locale: string, isOnline = globalThis.navigator?.onLine ?? true): string {
  const { name, type, retryAfter, details } = ((typeof error === 'object' && error) || {}) as NonNullable<ErrorLike>;
  if (name === 'APIUserAbortError' || name === 'AbortError' || type === 'aborted') return '';
  if (type === 'connection_error' || (type === undefined && name === 'TypeError')) return isOnline ? strings.connectionError : strings.errorOffline;
  if (type === 'rate_limited' && typeof retryAfter === 'number' && retryAfter > 0) {
    return formatMessage(strings.errorRateLimitedWait, { seconds: Math.ceil(retryAfter) }, locale);
  }
  if (type === 'invalid_request' && isContentTooLong(details)) return strings.errorTooLong;
  const key = typeof type === 'string' ? BY_TYPE[type] : undefined;
  if (key) return strings[key];
  // The provider's other troubles (busy, unavailable, a broken answer) read the same to a visitor.
  if (typeof type === 'string' && type.startsWith('provider_')) return strings.errorProvider;
  return isOnline ? strings.errorUnknown : strings.errorOffline;
}
