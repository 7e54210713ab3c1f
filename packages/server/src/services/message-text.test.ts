import { describe, expect, it } from 'vitest';
import { plainTextOf, previewOf, shorten, titleFromMessage } from './message-text.js';

describe('titleFromMessage', () => {
  it('keeps short messages whole and cuts long ones between words, within 60 characters', () => {
    expect(titleFromMessage('  Plan a  trip\nto Lisbon ')).toBe('Plan a trip to Lisbon');
    const title = titleFromMessage('Could you please explain how the tides work and why there are two every day?');
    expect(title).toBe('Could you please explain how the tides work and why there…');
    expect(title.length).toBeLessThanOrEqual(60);
    expect(titleFromMessage('**Bold** and `code` and [a link](https://x.example)')).toBe('Bold and code and a link');
    expect(titleFromMessage('x'.repeat(80))).toHaveLength(60);
  });

  it("keeps the visitor's characters that are not markup", () => {
    expect(titleFromMessage('What is 5 > 3 in C#? snake_case_name and 2*3')).toBe('What is 5 > 3 in C#? snake_case_name and 2*3');
    expect(titleFromMessage('It takes ~5 min, a_b_c and #hashtag')).toBe('It takes ~5 min, a_b_c and #hashtag');
  });
});

describe('plainTextOf', () => {
  it('keeps the text of links, images and code, and drops only the markup', () => {
    expect(plainTextOf('[x](javascript:alert(1))')).toBe('x');
    expect(plainTextOf('![a cat](https://img.example/cat.png) sleeps')).toBe('a cat sleeps');
    expect(plainTextOf('Use `a*b` and `snake_case`')).toBe('Use a*b and snake_case');
    expect(plainTextOf('```js\nif (a < b && c) {}\n```').trim()).toBe('if (a < b && c) {}');
    expect(plainTextOf('\\*not emphasis\\*')).toBe('*not emphasis*');
  });

  it('reads headings, quotes, lists and tables as their words', () => {
    const text = plainTextOf('# Title\n\n> quoted *words*\n\n- one\n- **two**\n\n| a | b |\n|---|---|\n| 1 | 2 |').replace(/\s+/g, ' ').trim();
    expect(text).toBe('Title quoted words one two a b 1 2');
  });
});

describe('shorten', () => {
  it('never cuts inside a surrogate pair, an emoji sequence or a combined letter', () => {
    const family = '👨‍👩‍👧‍👦';
    const text = `${'a'.repeat(55)} ${family.repeat(4)}`;
    const short = shorten(text, 60);
    expect(short.length).toBeLessThanOrEqual(60);
    expect(short.endsWith('…')).toBe(true);
    // Whatever was kept is whole: no lone surrogate, no family cut into single people.
    expect(short).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    const kept = short.slice(0, -1).trim().split(' ').at(-1) ?? '';
    expect([...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(kept)].every((part) => part.segment === family || /^a+$/.test(kept))).toBe(true);
  });

  it('cuts a run of emoji without spaces between graphemes', () => {
    const short = previewOf('😀'.repeat(200));
    expect(short.length).toBeLessThanOrEqual(160);
    expect(short).toBe(`${'😀'.repeat(79)}…`);
    const accented = 'e\u0301'; // e and a combining acute accent: one letter, two units
    expect(shorten(accented.repeat(100), 11)).toBe(`${accented.repeat(5)}…`);
  });
});
