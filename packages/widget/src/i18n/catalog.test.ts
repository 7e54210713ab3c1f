import { describe, expect, it } from 'vitest';
import { LOCALE_TAGS, PLURAL_MESSAGES, type Strings } from './catalog.js';
import { formatMessage } from './format-message.js';
import { ALL_CATALOGS, SAME_AS_ENGLISH } from './testing/all-catalogs.js';

const english = ALL_CATALOGS.en;
const keys = Object.keys(english).sort();
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)[,}]/g)].map((match) => match[1]).sort();
const branches = (text: string) => [...text.matchAll(/(?:plural,|\})\s*(=\d+|zero|one|two|few|many|other)\s*\{/g)].map((match) => match[1] ?? '');

describe('built-in catalogs', () => {
  it('cover the 17 languages the element promises', () => {
    expect(Object.keys(ALL_CATALOGS).sort()).toEqual([...LOCALE_TAGS].sort());
    expect(LOCALE_TAGS).toHaveLength(17);
  });

  it.each(LOCALE_TAGS)('%s has every key, each a non-empty text with the same placeholders as English', (tag) => {
    const catalog = ALL_CATALOGS[tag];
    expect(Object.keys(catalog).sort()).toEqual(keys);
    for (const key of keys as (keyof Strings)[]) {
      expect(catalog[key].trim(), `${tag}.${key}`).not.toBe('');
      expect(placeholders(catalog[key]), `${tag}.${key}`).toEqual(placeholders(english[key]));
    }
  });

  it.each(LOCALE_TAGS.filter((tag) => tag !== 'en'))('%s translates every text (only listed words may equal English)', (tag) => {
    const allowed = new Set<string>(SAME_AS_ENGLISH[tag] ?? []);
    const same = (keys as (keyof Strings)[]).filter((key) => ALL_CATALOGS[tag][key] === english[key] && !allowed.has(key));
    expect(same).toEqual([]);
    // An allowance that no longer applies is dropped, so the list stays an honest record.
    for (const key of allowed) expect(ALL_CATALOGS[tag][key as keyof Strings], `${tag}.${key}`).toBe(english[key as keyof Strings]);
  });

  it.each(LOCALE_TAGS)('%s gives every plural form its language has (Intl.PluralRules)', (tag) => {
    const categories = new Intl.PluralRules(tag).resolvedOptions().pluralCategories;
    for (const key of Object.keys(PLURAL_MESSAGES) as (keyof typeof PLURAL_MESSAGES)[]) {
      const found = branches(ALL_CATALOGS[tag][key]);
      for (const category of categories) expect(found, `${tag}.${key} lacks "${category}"`).toContain(category);
      for (const branch of found) expect([...categories, 'zero', 'one', 'two'], `${tag}.${key}`).toContain(branch.startsWith('=') ? 'one' : branch);
    }
  });

  it('Arabic has six forms for a message count, and Polish three for seconds', () => {
    const ar = [0, 1, 2, 3, 11, 100].map((count) => formatMessage(ALL_CATALOGS.ar.messageCount, { count }, 'ar'));
    expect(new Set(ar).size).toBe(6);
    expect(ar[1]).toBe('رسالة واحدة');
    expect(ar[2]).toBe('رسالتان');
    const pl = [1, 2, 5, 22, 25].map((seconds) => formatMessage(ALL_CATALOGS.pl.errorRateLimitedWait, { seconds }, 'pl'));
    expect(pl[0]).toContain('1 sekundę');
    expect(pl[1]).toContain('2 sekundy');
    expect(pl[2]).toContain('5 sekund.');
    expect(pl[3]).toContain('22 sekundy');
    expect(pl[4]).toContain('25 sekund.');
    expect(formatMessage(ALL_CATALOGS.ru.messageCount, { count: 21 }, 'ru')).toBe('21 сообщение');
    expect(formatMessage(ALL_CATALOGS.ru.messageCount, { count: 24 }, 'ru')).toBe('24 сообщения');
    expect(formatMessage(ALL_CATALOGS.ru.messageCount, { count: 25 }, 'ru')).toBe('25 сообщений');
  });
});
