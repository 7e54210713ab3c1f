/** The values a message's placeholders take: numbers are formatted in the locale, strings go in as they are. */
export type MessageValues = Readonly<Record<string, string | number>>;

const numberFormats = new Map<string, Intl.NumberFormat>();
const pluralRules = new Map<string, Intl.PluralRules>();

function cached<T>(cache: Map<string, T>, locale: string, create: () => T): T {
  let value = cache.get(locale);
  if (!value) cache.set(locale, (value = create()));
  return value;
}

/** A number written the way the locale writes it (`1,234`, `1.234`, `١٬٢٣٤`). */
export function formatNumber(value: number, locale: string): string {
  return cached(numberFormats, locale, () => new Intl.NumberFormat(locale)).format(value);
}

/** The CLDR plural category of a number in a locale (`one`, `few`, `many`, …), from `Intl.PluralRules`. */
export function pluralCategory(value: number, locale: string): Intl.LDMLPluralRule {
  return cached(pluralRules, locale, () => new Intl.PluralRules(locale)).select(value);
}

/** Finds the `}` that closes the `{` at `start`, counting nested braces; -1 when there is none. */
function findClosingBrace(text: string, start: number): number {
  let depth = 0;
  for (let index = start; index < text.length; index += 1) {
    if (text[index] === '{') depth += 1;
    else if (text[index] === '}' && (depth -= 1) === 0) return index;
  }
  return -1;
}

/** The `selector {text}` branches of a plural argument, in order. */
function readBranches(body: string): Map<string, string> {
  const branches = new Map<string, string>();
  let index = 0;
  while (index < body.length) {
    const open = body.indexOf('{', index);
    if (open === -1) break;
    const close = findClosingBrace(body, open);
    if (close === -1) break;
    branches.set(body.slice(index, open).trim(), body.slice(open + 1, close));
    index = close + 1;
  }
  return branches;
}

function formatPlural(body: string, value: number, values: MessageValues, locale: string): string {
  const branches = readBranches(body);
  const branch = branches.get(`=${value}`) ?? branches.get(pluralCategory(value, locale)) ?? branches.get('other') ?? '';
  // `#` stands for the number, except inside a nested argument (formatted on its own).
  const withNumber = branch.replace(/#(?![^{]*\})/g, formatNumber(value, locale));
  return formatMessage(withNumber, values, locale);
}

/**
 * Fills a message's placeholders: `{name}` takes a value (numbers formatted through `Intl.NumberFormat`), and
 * `{name, plural, =0 {…} one {…} few {…} other {…}}` picks the branch that `Intl.PluralRules` chooses for the
 * locale (an exact `=N` first, `other` last), with `#` for the formatted number. This is the subset of ICU
 * MessageFormat the element's texts need; a placeholder without a value is left as written.
 * @example
 * formatMessage('{count, plural, one {# message} other {# messages}}', { count: 1234 }, 'en'); // "1,234 messages"
 */
export function formatMessage(message: string, values: MessageValues, locale: string): string {
  let result = '';
  let index = 0;
  while (index < message.length) {
    const open = message.indexOf('{', index);
    if (open === -1) break;
    const close = findClosingBrace(message, open);
    if (close === -1) break;
    result += message.slice(index, open);
    const argument = message.slice(open + 1, close);
    const [name = '', kind, ...rest] = argument.split(',');
    const value = values[name.trim()];
    if (value === undefined) result += message.slice(open, close + 1);
    else if (kind?.trim() === 'plural') result += formatPlural(rest.join(','), Number(value), values, locale);
    else result += typeof value === 'number' ? formatNumber(value, locale) : value;
    index = close + 1;
  }
  return result + message.slice(index);
}
