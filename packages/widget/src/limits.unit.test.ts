import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, measureDraft, MessageTooLongError, readLimits } from './limits.js';

describe('measureDraft', () => {
  it('shows no counter for a short draft', () => {
    expect(measureDraft('Hello')).toEqual({ length: 5, remaining: 31_995, isNearLimit: false, isOverLimit: false });
  });

  it('shows the counter near the limit, and says when the draft is over it', () => {
    const limits = { contentMaxLength: 32_000, titleMaxLength: 100 };
    expect(measureDraft('x'.repeat(29_999), limits)).toMatchObject({ isNearLimit: false, isOverLimit: false });
    expect(measureDraft('x'.repeat(30_000), limits)).toMatchObject({ remaining: 2_000, isNearLimit: true, isOverLimit: false });
    expect(measureDraft('x'.repeat(32_000), limits)).toMatchObject({ remaining: 0, isNearLimit: true, isOverLimit: false });
    expect(measureDraft('x'.repeat(100_001), limits)).toMatchObject({ remaining: -68_001, isNearLimit: true, isOverLimit: true });
  });

  it('counts as the server does: trimmed, in UTF-16 code units', () => {
    expect(measureDraft('  😀é \n').length).toBe(3);
    expect(measureDraft('x'.repeat(10) + '😀', { contentMaxLength: 11, titleMaxLength: 100 })).toMatchObject({ isOverLimit: true, remaining: -1 });
  });

  it('warns a tenth of a small limit ahead, never less than 100 characters', () => {
    expect(measureDraft('x'.repeat(400), { contentMaxLength: 500, titleMaxLength: 100 }).isNearLimit).toBe(true);
    expect(measureDraft('x'.repeat(399), { contentMaxLength: 500, titleMaxLength: 100 }).isNearLimit).toBe(false);
  });
});

describe('readLimits', () => {
  it('takes the server’s limits and falls back to the defaults for anything missing or wrong', () => {
    expect(readLimits({ limits: { contentMaxLength: 500, titleMaxLength: 60 } })).toEqual({ contentMaxLength: 500, titleMaxLength: 60 });
    expect(readLimits({ limits: { contentMaxLength: -1 } })).toEqual(DEFAULT_LIMITS);
    expect(readLimits(null)).toEqual(DEFAULT_LIMITS);
  });
});

describe('MessageTooLongError', () => {
  it('tells the developer the lengths', () => {
    const error = new MessageTooLongError(100_001, 32_000);
    expect(error).toMatchObject({ name: 'MessageTooLongError', type: 'invalid_request', length: 100_001, maxLength: 32_000 });
    expect(error.message).toContain('32000');
  });
});
