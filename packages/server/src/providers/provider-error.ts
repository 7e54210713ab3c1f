/** What kind of provider failure happened; the chat service stores it on the failed assistant message. */
export type ProviderErrorType =
  | 'provider_timeout'
  | 'provider_auth'
  | 'provider_rate_limited'
  | 'provider_unavailable'
  | 'provider_bad_response'
  | 'provider_error';

/** Everything a ProviderError may carry besides its type and message. */
export interface ProviderErrorOptions {
  /** The upstream HTTP status, when there was one. */
  status?: number | undefined;
  /** How long the upstream asked us to wait before trying again, from `retry-after`. */
  retryAfterMs?: number | undefined;
  /** The upstream's own words for operators' logs, with the API key redacted. Never shown to visitors. */
  detail?: string | undefined;
}

/**
 * A failure of an AI provider. Its `message` is safe to show a visitor: it never holds an API key nor the upstream's
 * raw body (which could echo one); `detail` keeps the upstream's words, redacted, for logs.
 */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly type: ProviderErrorType;
  readonly status?: number | undefined;
  readonly retryAfterMs?: number | undefined;
  readonly detail?: string | undefined;

  constructor(type: ProviderErrorType, message: string, options: ProviderErrorOptions = {}) {
    super(message);
    this.type = type;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.detail = options.detail;
  }

  /** Whether one more attempt could succeed: connection failures, rate limits and upstream 5xx, never 4xx. */
  get isRetryable(): boolean {
    return this.type === 'provider_unavailable' || this.type === 'provider_rate_limited';
  }
}

/** Builds the ProviderError for an upstream HTTP error status, with a message a visitor can read. */
export function providerErrorFromStatus(status: number, options: Omit<ProviderErrorOptions, 'status'> = {}): ProviderError {
  const withStatus = { ...options, status };
  if (status === 401 || status === 403) {
    const what = status === 401 ? 'rejected the API key' : 'denied access to this model';
    return new ProviderError('provider_auth', `The AI provider ${what} (HTTP ${status}).`, withStatus);
  }
  if (status === 429) {
    return new ProviderError('provider_rate_limited', 'The AI provider is receiving too many requests (HTTP 429). Please try again shortly.', withStatus);
  }
  if (status === 408) {
    return new ProviderError('provider_timeout', 'The AI provider timed out (HTTP 408).', withStatus);
  }
  if (status >= 500) {
    return new ProviderError('provider_unavailable', `The AI provider is unavailable right now (HTTP ${status}).`, withStatus);
  }
  if (status === 404) {
    return new ProviderError('provider_error', 'The AI provider does not offer this model (HTTP 404).', withStatus);
  }
  return new ProviderError('provider_error', `The AI provider refused the request (HTTP ${status}).`, withStatus);
}
