import { APICallError } from 'ai';
import { describe, expect, it } from 'vitest';
import { ProviderError } from './provider-error.js';
import { parseRetryAfter, toProviderError } from './to-provider-error.js';

const apiCallError = (statusCode: number | undefined, message = 'upstream said no', headers?: Record<string, string>) =>
  new APICallError({ message, url: 'http://127.0.0.1/v1/chat/completions', requestBodyValues: {}, statusCode, responseHeaders: headers });

describe('toProviderError', () => {
  it.each<[number, ProviderError['type']]>([
    [401, 'provider_auth'], [403, 'provider_auth'], [429, 'provider_rate_limited'], [500, 'provider_unavailable'],
    [503, 'provider_unavailable'], [529, 'provider_unavailable'], [400, 'provider_error'], [404, 'provider_error'], [408, 'provider_timeout'],
  ])('HTTP %i → %s', (status, type) => {
    const error = toProviderError(apiCallError(status));
    expect(error).toMatchObject({ type, status });
    expect(error.message).toContain(`HTTP ${status}`);
  });

  it('only connection failures, rate limits and 5xx may be retried', () => {
    expect([401, 400, 404, 429, 500].map((status) => toProviderError(apiCallError(status)).isRetryable)).toEqual([false, false, false, true, true]);
    expect(toProviderError(apiCallError(undefined, 'Cannot connect to API: connect ECONNREFUSED')).isRetryable).toBe(true);
  });

  it('keeps the upstream words for logs with the known key and key-shaped strings redacted', () => {
    const error = toProviderError(apiCallError(401, 'Incorrect API key provided: my-own-secret and sk-proj-abcdefghijkl'), ['my-own-secret']);
    expect(error.detail).toBe('AI_APICallError: Incorrect API key provided: [redacted] and [redacted]');
    expect(error.message).toBe('The AI provider rejected the API key (HTTP 401).');
  });

  it('reads retry-after in seconds, as a date, and retry-after-ms', () => {
    expect(toProviderError(apiCallError(429, 'x', { 'retry-after': '3' })).retryAfterMs).toBe(3000);
    expect(parseRetryAfter({ 'retry-after-ms': '250' })).toBe(250);
    const inTwoSeconds = new Date(Date.now() + 2_000).toUTCString();
    expect(parseRetryAfter({ 'retry-after': inTwoSeconds })).toBeGreaterThan(500);
    expect(parseRetryAfter({})).toBeUndefined();
  });

  it('a programming error is not mistaken for a network failure', () => {
    const bug = Object.assign(new TypeError('The "path" argument must be of type string'), { code: 'ERR_INVALID_ARG_TYPE' });
    expect(toProviderError(bug)).toMatchObject({ type: 'provider_error', isRetryable: false });
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(toProviderError(reset).type).toBe('provider_unavailable');
  });

  it("an unknown vendor error event is a plain provider_error without echoing the vendor's text", () => {
    const error = toProviderError({ type: 'weird_error', message: 'secret sk-live-abcdefghijkl inside' });
    expect(error.type).toBe('provider_error');
    expect(error.message).toBe('The AI provider failed to answer.');
    expect(error.detail).not.toContain('sk-live');
  });
});
