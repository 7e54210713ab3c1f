import { stopwords as englishStopWords } from '@orama/stopwords/english';
import { stem } from 'porter2';

/** The languages a text index or `$text` query may name here: English (stemmed, stop words dropped) or `none`. */
export type TextLanguage = 'english' | 'none';

const STOP_WORDS = new Set(englishStopWords);

// Letters and digits, with apostrophes inside a word ("don't", "hotel's"); everything else separates words.
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

/** A word of a text with where it stands: `start` and `end` in UTF-16 units, `term` what the index keeps of it. */
export interface TextWord {
  term: string;
  start: number;
  end: number;
}

/**
 * The words of a text as a version 3 text index sees them: case and diacritics folded, and for English, stop words
 * dropped and the rest reduced to their Snowball (Porter2) stem, as MongoDB's English text indexes do.
 */
export function textWords(text: string, language: TextLanguage): TextWord[] {
  const words: TextWord[] = [];
  for (const match of text.matchAll(WORD)) {
    const folded = foldCase(match[0]).replace(/’/g, "'");
    if (language === 'english' && STOP_WORDS.has(folded)) continue;
    words.push({ term: language === 'english' ? stem(folded) : folded, start: match.index, end: match.index + match[0].length });
  }
  return words;
}

/** The terms of a text (see {@link textWords}), in order, repeats kept. */
export function textTerms(text: string, language: TextLanguage): string[] {
  return textWords(text, language).map((word) => word.term);
}

function foldCase(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
