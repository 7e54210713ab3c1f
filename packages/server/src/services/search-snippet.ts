import { SNIPPET_LENGTH, type SearchMatch } from '@ai-chat/protocol';
import { plainTextOf } from './message-text.js';
import { searchWords } from './search-terms.js';

/** How much text comes before the first matched word in a snippet, when there is that much. */
const LEAD = 60;

/**
 * The snippet of a message that a search found: its plain text around the first word that matched (at most 200
 * characters, with `…` where it was cut), and the `[start, end)` ranges of the matched words within the snippet.
 */
export function searchSnippet(messageId: string, content: string, query: string): SearchMatch {
  const text = plainTextOf(content).replace(/\s+/g, ' ').trim();
  const wanted = new Set(searchWords(query).map((word) => word.term));
  const matched = searchWords(text).filter((word) => wanted.has(word.term));
  const first = matched[0]?.start ?? 0;
  let start = first <= LEAD ? 0 : Math.min(first, wordStartAfter(text, first - LEAD));
  const lead = start > 0 ? '…' : '';
  let end = Math.min(text.length, start + SNIPPET_LENGTH - lead.length);
  if (end < text.length) {
    // Room for the closing ellipsis, cut at a word boundary when one is near.
    end = start + SNIPPET_LENGTH - lead.length - 1;
    const space = text.lastIndexOf(' ', end);
    if (space > start + SNIPPET_LENGTH / 2) end = space;
    if (isLowSurrogate(text.charCodeAt(end))) end -= 1;
  }
  if (isLowSurrogate(text.charCodeAt(start))) start += 1;
  const trail = end < text.length ? '…' : '';
  const snippet = `${lead}${text.slice(start, end)}${trail}`;
  const highlights = matched
    .filter((word) => word.start >= start && word.end <= end)
    .map((word): [number, number] => [word.start - start + lead.length, word.end - start + lead.length]);
  return { messageId, snippet, highlights };
}

function wordStartAfter(text: string, at: number): number {
  const space = text.indexOf(' ', at);
  return space === -1 ? at : space + 1;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
