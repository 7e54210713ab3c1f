import { APIConnectionError, APIError, readRetryAfterSeconds } from '../errors.js';

const INITIAL_DELAY_MS = 500;
const MAX_BACKOFF_MS = 8_000;
/** A `Retry-After` longer than this is not worth holding the caller for: the error is thrown instead. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Whether an error may succeed on a second try: connection failures and timeouts, 408, 429 and 5xx, except a 502
 * `provider_error` (the server already retried the provider and stored the reply as failed; with the same
 * `clientMessageId` a retry would only return that failed reply) and a `Retry-After` beyond a minute.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof APIConnectionError) return true;
  if (!(error instanceof APIError)) return false;
  if (error.type === 'provider_error') return false;
  const isTransient = error.status === 408 || error.status === 429 || error.status >= 500;
  const retryAfter = readRetryAfterSeconds(error.headers);
  return isTransient && (retryAfter === null || retryAfter * 1000 <= MAX_RETRY_AFTER_MS);
}

/**
 * Milliseconds to wait before retry number `attempt` (1-based): the server's `Retry-After` when it gave one, else
 * exponential backoff with jitter so that many clients that failed together do not come back together.
 */
export function computeRetryDelay(attempt: number, error: unknown): number {
  const retryAfter = error instanceof APIError ? readRetryAfterSeconds(error.headers) : null;
  if (retryAfter !== null) return retryAfter * 1000;
  const backoff = Math.min(INITIAL_DELAY_MS * 2 ** (attempt - 1), MAX_BACKOFF_MS);
  return backoff * (1 - Math.random() * 0.25);
}
