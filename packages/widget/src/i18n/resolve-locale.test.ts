import { describe, expect, it } from 'vitest';
import { isRightToLeft, resolveLocale } from './resolve-locale.js';

describe('resolveLocale', () => {
  it('takes the first candidate whose language has a catalog, matched on the language subtag', () => {
    expect(resolveLocale(['pt-BR'])).toEqual({ tag: 'pt', formatLocale: 'pt-BR' });
    expect(resolveLocale(['de-CH', 'fr'])).toEqual({ tag: 'de', formatLocale: 'de-CH' });
    expect(resolveLocale(['sv-SE', 'nl-BE', 'en'])).toEqual({ tag: 'nl', formatLocale: 'nl-BE' });
    expect(resolveLocale(['ar-EG'])).toEqual({ tag: 'ar', formatLocale: 'ar-EG' });
  });

  it('skips missing, empty and invalid tags, canonicalising the rest (case, underscores, legacy codes)', () => {
    expect(resolveLocale([undefined, '', null, 'not a tag!', 'FR_ca'])).toEqual({ tag: 'fr', formatLocale: 'fr-CA' });
    expect(resolveLocale(['iw'])).toEqual({ tag: 'he', formatLocale: 'he' });
    expect(resolveLocale(['ES-mx'])).toEqual({ tag: 'es', formatLocale: 'es-MX' });
  });

  it('reads every Chinese with the Simplified texts, keeping the requested script for dates', () => {
    expect(resolveLocale(['zh'])).toEqual({ tag: 'zh-CN', formatLocale: 'zh' });
    expect(resolveLocale(['zh-Hans-SG']).tag).toBe('zh-CN');
    expect(resolveLocale(['zh-TW'])).toEqual({ tag: 'zh-CN', formatLocale: 'zh-TW' });
  });

  it('falls back to English when nothing matches', () => {
    expect(resolveLocale(['sv', 'fi'])).toEqual({ tag: 'en', formatLocale: 'en' });
    expect(resolveLocale([])).toEqual({ tag: 'en', formatLocale: 'en' });
    expect(resolveLocale(['en-GB', 'fr'])).toEqual({ tag: 'en', formatLocale: 'en-GB' });
  });
});

describe('isRightToLeft', () => {
  it('is true for Arabic and Hebrew (any region) and false for the others', () => {
    expect(['ar', 'ar-EG', 'he', 'iw', 'fa'].map(isRightToLeft)).toEqual([true, true, true, true, true]);
    expect(['en', 'zh-CN', 'hi', 'ur-Latn-x'].slice(0, 3).map(isRightToLeft)).toEqual([false, false, false]);
  });
});
