import { describe, expect, it } from 'vitest';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, RateLimitError } from '@ai-chat/sdk';
import { describeError } from './describe-error.js';
import { ALL_CATALOGS } from './testing/all-catalogs.js';

const { en, de, ar } = ALL_CATALOGS;
const apiError = (status: number, type: string, details: unknown[] = [], headers?: Headers) =>
  APIError.generate(status, { error: { type, message: 'server text', details, requestId: 'r1' } }, undefined, headers);

describe('describeError', () => {
  it('gives a sentence of the visitor’s language for every error type of the contract, never the server’s text', () => {
    const cases: [unknown, string][] = [
      [apiError(400, 'invalid_request'), en.errorInvalid],
      [apiError(400, 'invalid_request', [{ path: 'content', message: 'Too big: expected string to have <=32000 characters' }]), en.errorTooLong],
      [apiError(401, 'unauthorized'), en.errorUnauthorized],
      [apiError(404, 'not_found'), en.errorNotFound],
      [apiError(409, 'conflict'), en.errorConflict],
      [apiError(413, 'payload_too_large'), en.errorTooLong],
      [apiError(415, 'unsupported_media_type'), en.errorInvalid],
      [apiError(429, 'rate_limited'), en.errorRateLimited],
      [apiError(500, 'internal'), en.errorServer],
      [apiError(502, 'provider_error'), en.errorProvider],
      [apiError(503, 'unavailable'), en.errorUnavailable],
      [{ type: 'provider_timeout', message: 'x' }, en.errorProviderTimeout],
      [{ type: 'provider_auth', message: 'x' }, en.errorProviderAuth],
      [{ type: 'interrupted', message: 'x' }, en.errorInterrupted],
      [{ type: 'provider_unavailable', message: 'x' }, en.errorProvider],
      [{ type: 'provider_rate_limited', message: 'x' }, en.errorProvider],
      [new APIConnectionTimeoutError(), en.errorTimeout],
      [{ type: 'something_new' }, en.errorUnknown],
    ];
    for (const [error, sentence] of cases) expect(describeError(error, en, 'en', true)).toBe(sentence);
    expect(describeError(apiError(404, 'not_found'), de, 'de', true)).toBe(de.errorNotFound);
  });

  it('says offline when the browser is, and that the service is unreachable when it is not', () => {
    expect(describeError(new APIConnectionError(), en, 'en', false)).toBe(en.errorOffline);
    expect(describeError(new APIConnectionError(), en, 'en', true)).toBe(en.connectionError);
  });

  it('tells how long to wait when the server said (Retry-After), in the language’s plural', () => {
    const error = apiError(429, 'rate_limited', [], new Headers({ 'retry-after': '2.2' }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(describeError(error, en, 'en', true)).toBe('You are sending messages too quickly. Try again in 3 seconds.');
    expect(describeError(error, ar, 'ar', true)).toContain(`${new Intl.NumberFormat('ar').format(3)} ثوانٍ`);
  });

  it('says nothing for a request the visitor cancelled', () => {
    expect(describeError(new APIUserAbortError(), en, 'en', true)).toBe('');
  });
});
