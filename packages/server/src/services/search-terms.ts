import { stopwords as englishStopWords } from '@orama/stopwords/english';
import { stem } from 'porter2';

const STOP_WORDS = new Set(englishStopWords);

// Letters and digits, with apostrophes inside a word, as an English text index reads words.
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

/** A word of a text, where it stands (`start`, `end` in UTF-16 units), and the term a text index keeps of it. */
export interface SearchWord {
  term: string;
  start: number;
  end: number;
}

/**
 * The words of a text as MongoDB's English text index reads them: case and diacritics folded, stop words dropped,
 * each reduced to its Snowball (Porter2) stem. Used to mark in a snippet the words a `$text` search matched.
 */
export function searchWords(text: string): SearchWord[] {
  const words: SearchWord[] = [];
  for (const match of text.matchAll(WORD)) {
    const folded = match[0].normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/’/g, "'");
    if (STOP_WORDS.has(folded)) continue;
    words.push({ term: stem(folded), start: match.index, end: match.index + match[0].length });
  }
  return words;
}

/**
 * A visitor's search text as a `$text` search: its words, without the quotes and leading `-` that would make a
 * phrase or a negation (a visitor types words, not MongoDB's search syntax). Empty when nothing searchable remains.
 */
export function toTextSearch(query: string): string {
  return query
    .replace(/["“”]/g, ' ')
    .split(/\s+/)
    .map((word) => word.replace(/^-+/, ''))
    .filter((word) => word.length > 0)
    .join(' ');
}
