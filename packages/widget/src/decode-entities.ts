// The named references replies actually use; anything else stays as written, which is still only text.
const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', copy: '©', reg: '®', trade: '™', hellip: '…',
  mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', middot: '·',
  bull: '•', times: '×', divide: '÷', deg: '°', plusmn: '±', euro: '€', pound: '£', yen: '¥', cent: '¢', sect: '§',
  larr: '←', rarr: '→', uarr: '↑', darr: '↓', harr: '↔',
};

/**
 * Decodes HTML character references (`&amp;`, `&#106;`, `&#x6A;`) in markdown text the way CommonMark asks, so the
 * text reads as written. The result is only ever used as text or checked as a URL, never parsed as HTML.
 */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(?:#(\d{1,7})|#[xX]([\da-fA-F]{1,6})|(\w+));/g, (reference, decimal?: string, hex?: string, name?: string) => {
    if (name) return NAMED[name] ?? reference;
    const code = decimal ? Number(decimal) : Number.parseInt(hex!, 16);
    // CommonMark replaces NUL and out-of-range code points with U+FFFD.
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
  });
}
