import { describe, expect, it } from 'vitest';
import { APIConnectionError, APIError } from '@ai-chat/sdk';
import { MessageTooLongError } from '../limits.js';
import { DEFAULT_STRINGS } from '../strings.js';
import { visitorErrorKey, visitorErrorText } from './visitor-error.js';

const apiError = (status: number, type: string, message: string) => APIError.generate(status, { error: { type, message, details: [] } }, undefined, new Headers());

describe('visitor-facing error sentences', () => {
  it('says what happened in plain words, never the server’s validation text or settings', () => {
    const cases: Array<[unknown, string]> = [
      [new MessageTooLongError(100_001, 32_000), 'errorTooLong'],
      [apiError(400, 'invalid_request', 'content: must be at most 32000 characters'), 'errorTooLong'],
      [apiError(413, 'payload_too_large', 'Request body is larger than 128kb'), 'errorTooLong'],
      [apiError(429, 'rate_limited', 'Too many requests, RATE_LIMIT_MAX=30'), 'errorRateLimited'],
      [new APIConnectionError('fetch failed'), 'errorOffline'],
      [apiError(500, 'internal', 'Internal error'), 'errorServer'],
      [apiError(503, 'unavailable', 'database down'), 'errorServer'],
      [{ type: 'provider_error', message: 'OPENAI_API_KEY is invalid (401 from api.openai.com)' }, 'errorProvider'],
      [{ type: 'provider_unavailable', message: 'The AI provider is unavailable right now (HTTP 500).' }, 'errorProvider'],
      [{ type: 'provider_auth', message: 'The AI provider refused the API key (HTTP 401).' }, 'errorProvider'],
      [{ type: 'interrupted', message: 'The server stopped while writing this reply.' }, 'errorInterrupted'],
      [apiError(404, 'not_found', 'session not found'), 'errorNotFound'],
      [apiError(409, 'conflict', 'A reply is already being generated'), 'errorBusy'],
      [apiError(400, 'invalid_request', 'model: unknown model "gpt-x"'), 'errorGeneric'],
      [new Error('boom'), 'errorGeneric'],
    ];
    for (const [error, key] of cases) {
      expect(visitorErrorKey(error), String((error as Error).message)).toBe(key);
      const text = visitorErrorText(error, DEFAULT_STRINGS, 32_000, 'en');
      expect(text).not.toMatch(/content:|RATE_LIMIT|OPENAI|must be at most|\{max\}/);
    }
  });

  it('names the limit in the element’s locale', () => {
    expect(visitorErrorText(new MessageTooLongError(40_000, 32_000), DEFAULT_STRINGS, 32_000, 'en')).toContain('32,000');
    expect(visitorErrorText(new MessageTooLongError(40_000, 32_000), { ...DEFAULT_STRINGS, errorTooLong: 'Höchstens {max} Zeichen.' }, 32_000, 'de')).toBe('Höchstens 32.000 Zeichen.');
  });
});
