const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
// A last line of markers only (`-`, `**`, `1.`, `>`, `|`, `---`, a backtick) says nothing yet: what it becomes
// (a list, a rule, a heading underline, emphasis, a fence) is known only once more text follows.
const MARKERS_ONLY = /^[ \t]*(?:\d{1,9}[.)]?)?[-*_+=#>`~|: \t]*$/;
const TABLE_DELIMITER_SO_FAR = /^[ \t]*[|:-][ \t|:-]*$/;
const BLOCK_START = /^ {0,3}(?:[-*+][ \t]|\d{1,9}[.)][ \t]|#{1,6}[ \t]|>|\|)/;
const WORD = /[\p{L}\p{N}]/u;
const SPACE = /\s/;

interface Opener {
  marker: string;
  count: number;
}

/**
 * Makes a partial reply (the text streamed so far) render like its final form: what is open at its end is closed (a
 * code fence, a code span, `**` / `*` / `_` / `~~` emphasis, a link's text or target), and what cannot be told yet is
 * held back until the next characters arrive (a marker with nothing after it, a line of markers only, a fence line
 * whose language is still arriving, a table header before its delimiter row). Used only while a reply streams: the
 * finished reply is rendered as it is.
 */
export function closeOpenMarkdown(partial: string): string {
  const lines = partial.split('\n');
  const last = lines.length - 1;
  const { open, after } = scanFences(lines);
  if (open) {
    // The fence line itself is still arriving (its language is not known yet): show what came before it.
    if (open.line === last) return closeOpenMarkdown(lines.slice(0, last).join('\n'));
    // The closing fence is arriving: its first backticks are not code.
    if (new RegExp(`^ {0,3}\\${open.marker[0]}+$`).test(lines[last]!)) lines[last] = '';
    else lines.push('');
    return lines.join('\n') + open.marker;
  }
  const block = Math.max(lines.slice(0, -1).findLastIndex((line) => line.trim() === '') + 1, after);
  if (isTableHeaderSoFar(lines.slice(block))) return lines.slice(0, block).join('\n');
  if (after <= last && MARKERS_ONLY.test(lines[last]!)) lines[last] = '';
  const start = Math.max(findInlineScope(lines), after);
  const head = lines.slice(0, start).join('\n');
  return `${head}${start > 0 ? '\n' : ''}${closeInline(lines.slice(start).join('\n'))}`;
}

/** The fence still open at the end of the text (with the line it opened on), and the line after the last one closed. */
function scanFences(lines: string[]): { open?: { marker: string; line: number }; after: number } {
  let open: { marker: string; line: number } | undefined;
  let after = 0;
  lines.forEach((line, index) => {
    const match = FENCE.exec(line);
    if (!match) return;
    const [, marker = '', info = ''] = match;
    if (!open) {
      if (marker[0] !== '`' || !info.includes('`')) open = { marker, line: index }; // else a code span, not a fence
    } else if (marker[0] === open.marker[0] && marker.length >= open.marker.length && info.trim() === '') {
      open = undefined;
      after = index + 1;
    }
  });
  return { open, after };
}

/** Where the last run of inline text starts: inline markup never spans a blank line or a new block's marker. */
function findInlineScope(lines: string[]): number {
  let start = lines.length - 1;
  while (start > 0) {
    const line = lines[start]!;
    const previous = lines[start - 1]!;
    if (BLOCK_START.test(line) || previous.trim() === '' || /^ {0,3}#{1,6}(?:[ \t]|$)/.test(previous) || /^[ \t]*\|/.test(previous)) break;
    start -= 1;
  }
  return Math.max(start, 0);
}

/** A table shows as one only once its delimiter row is there: until then its header line would show as raw text. */
function isTableHeaderSoFar(block: string[]): boolean {
  if (!/^ {0,3}\|/.test(block[0] ?? '')) return false;
  return block.length === 1 || (block.length === 2 && (block[1] === '' || TABLE_DELIMITER_SO_FAR.test(block[1]!)));
}

/**
 * Closes the code span, emphasis and link open at the end of one run of inline text. A link whose text or target is
 * still arriving gets an empty target, so its text shows as link text at once (a link without a target goes nowhere)
 * instead of as `[text` that turns into a link later; a partial target is never used.
 */
function closeInline(text: string): string {
  const openers: Opener[] = [];
  let end = text.length;
  let closing = '';
  for (let index = 0; index < text.length; ) {
    const character = text[index]!;
    const run = countRun(text, index);
    if (character === '\\') {
      index += 2;
    } else if (character === '`') {
      const close = findCodeSpanEnd(text, index + run, run);
      if (close < 0) {
        // Backticks with nothing after them may open a code span or nothing: hold them back.
        if (index + run >= text.length) end = index;
        else closing = '`'.repeat(run);
        break;
      }
      index = close;
    } else if (character === '*' || character === '_' || character === '~') {
      if (index + run >= text.length) {
        end = index; // an opener or a closer? The next character tells; until then it is not shown
        break;
      }
      matchDelimiter(openers, character, run, text[index - 1], text[index + run]!);
      index += run;
    } else if (character === ']' && openers.some((opener) => opener.marker === '[')) {
      openers.splice(openers.findLastIndex((opener) => opener.marker === '['));
      const target = text[index + 1] === '(' ? findLinkTargetEnd(text, index + 2) : index + 1;
      if (index + 1 >= text.length || target < 0) {
        // Its target is still arriving: the text shows as a link that goes nowhere until the target is whole.
        end = index + 1;
        closing = '()';
        break;
      }
      index = target;
    } else {
      if (character === '[') openers.push({ marker: '[', count: 1 });
      index += 1;
    }
  }
  const closers = closing + openers.reverse().map((opener) => (opener.marker === '[' ? ']()' : opener.marker.repeat(opener.count))).join('');
  let shown = text.slice(0, end);
  if (closers) shown = shown.trimEnd();
  // Backticks at the end of an open code span may be the start of its closing run: hold them back.
  if (closing[0] === '`') shown = shown.replace(/`+$/, '');
  return shown + closers;
}

/** Opens or closes emphasis at a run of `*`, `_` or `~` the way CommonMark's flanking rules would. */
function matchDelimiter(openers: Opener[], marker: string, run: number, before: string | undefined, after: string): void {
  if (marker === '~' && run > 2) return;
  const isBeforeSpace = before === undefined || SPACE.test(before);
  const isAfterSpace = SPACE.test(after);
  const isIntraword = before !== undefined && WORD.test(before) && WORD.test(after);
  // `2*3` is arithmetic, and `snake_case` is a name: neither is emphasis.
  if (isIntraword && (marker === '_' || (/\d/.test(before) && /\d/.test(after)))) return;
  const canClose = !isBeforeSpace && !(marker === '_' && WORD.test(after));
  const canOpen = !isAfterSpace && !(marker === '_' && before !== undefined && WORD.test(before));
  let remaining = run;
  if (canClose) {
    while (remaining > 0 && openers.length > 0 && openers.at(-1)!.marker === marker) {
      const top = openers.at(-1)!;
      const taken = Math.min(top.count, remaining);
      top.count -= taken;
      remaining -= taken;
      if (top.count === 0) openers.pop();
    }
  }
  if (remaining > 0 && canOpen && remaining === run) openers.push({ marker, count: run });
}

function countRun(text: string, index: number): number {
  let end = index;
  while (text[end] === text[index]) end += 1;
  return end - index;
}

/** The index after the backtick run of exactly `length` that closes a code span, or -1. */
function findCodeSpanEnd(text: string, from: number, length: number): number {
  for (let index = from; index < text.length; ) {
    if (text[index] !== '`') {
      index += 1;
      continue;
    }
    const run = countRun(text, index);
    if (run === length) return index + run;
    index += run;
  }
  return -1;
}

/** The index after the `)` that ends a link target starting at `from`, or -1 while it is still arriving. */
function findLinkTargetEnd(text: string, from: number): number {
  let depth = 0;
  for (let index = from; index < text.length; index += 1) {
    const character = text[index];
    if (character === '\\') index += 1;
    else if (character === '(') depth += 1;
    else if (character === ')') {
      if (depth === 0) return index + 1;
      depth -= 1;
    } else if (character === '\n') return -1;
  }
  return -1;
}
