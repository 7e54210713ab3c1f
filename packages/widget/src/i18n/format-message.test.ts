import { describe, expect, it } from 'vitest';
import { formatMessage, pluralCategory } from './format-message.js';

const COUNT = '{count, plural, =0 {no messages} one {# message} other {# messages}}';

describe('formatMessage', () => {
  it('fills placeholders, formatting numbers in the locale and leaving text values as they are', () => {
    expect(formatMessage('Opened: {title}', { title: 'Plan {a} #1' }, 'en')).toBe('Opened: Plan {a} #1');
    expect(formatMessage('{n} items', { n: 1234567 }, 'de')).toBe('1.234.567 items');
    expect(formatMessage('{n}', { n: 12 }, 'ar')).toBe(new Intl.NumberFormat('ar').format(12));
    expect(formatMessage('Hello {missing}', {}, 'en')).toBe('Hello {missing}');
  });

  it('picks the plural branch Intl.PluralRules gives, an exact =N first, other last, # as the formatted number', () => {
    expect(formatMessage(COUNT, { count: 0 }, 'en')).toBe('no messages');
    expect(formatMessage(COUNT, { count: 1 }, 'en')).toBe('1 message');
    expect(formatMessage(COUNT, { count: 1200 }, 'en')).toBe('1,200 messages');
    // French says "1,5 message" (one covers 0 to 2 exclusive); Japanese has only "other".
    expect(formatMessage(COUNT.replace('=0 {no messages} ', ''), { count: 1.5 }, 'fr')).toBe('1,5 message');
    expect(formatMessage('{count, plural, other {#件}}', { count: 3 }, 'ja')).toBe('3件');
    expect(formatMessage('{count, plural, one {# a} few {# b} many {# c} other {# d}}', { count: 22 }, 'pl')).toBe('22 b');
  });

  it('keeps text around plurals and fills placeholders nested in a branch', () => {
    expect(formatMessage('In {title}: {count, plural, one {# reply} other {# replies from {who}}}.', { title: 'X', count: 2, who: 'Ann' }, 'en'))
      .toBe('In X: 2 replies from Ann.');
  });

  it('names plural categories with CLDR rules (Arabic has six)', () => {
    expect([0, 1, 2, 3, 11, 100].map((value) => pluralCategory(value, 'ar'))).toEqual(['zero', 'one', 'two', 'few', 'many', 'other']);
    expect([1, 2, 5].map((value) => pluralCategory(value, 'pl'))).toEqual(['one', 'few', 'many']);
  });
});
