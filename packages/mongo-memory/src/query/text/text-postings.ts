import type { StoredDocument } from '../../bson-values.js';
import { valuesAtPath } from '../../document-paths.js';
import { textTerms, type TextLanguage } from './text-terms.js';

/**
 * The inverted index of a text index: for each term, the documents holding it with the term's score in each, as
 * MongoDB scores a version 3 text index: in each field, every further occurrence of a term adds half of what the
 * one before added (1, 1/2, 1/4...), scaled by how much of the field the term is (`0.5 + 0.5 * count / words`) and by
 * the field's weight. A document's `textScore` is the sum over the query's distinct terms.
 */
export class TextPostings {
  readonly #postings = new Map<string, Map<string, number>>();
  readonly #termsOf = new Map<string, string[]>();

  constructor(
    readonly weights: ReadonlyMap<string, number>,
    readonly language: TextLanguage,
  ) {}

  /** Records, replaces or (without `document`) forgets the terms of a document. */
  update(idKey: string, document: StoredDocument | undefined): void {
    for (const term of this.#termsOf.get(idKey) ?? []) {
      const documents = this.#postings.get(term);
      documents?.delete(idKey);
      if (documents?.size === 0) this.#postings.delete(term);
    }
    this.#termsOf.delete(idKey);
    if (!document) return;
    const scores = this.#scoresOf(document);
    if (scores.size === 0) return;
    for (const [term, score] of scores) {
      let documents = this.#postings.get(term);
      if (!documents) this.#postings.set(term, (documents = new Map()));
      documents.set(idKey, score);
    }
    this.#termsOf.set(idKey, [...scores.keys()]);
  }

  /** The `_id` keys of the documents holding any of the terms, each with its text score. */
  search(terms: Iterable<string>): Map<string, number> {
    const found = new Map<string, number>();
    for (const term of new Set(terms)) {
      for (const [idKey, score] of this.#postings.get(term) ?? []) found.set(idKey, (found.get(idKey) ?? 0) + score);
    }
    return found;
  }

  #scoresOf(document: StoredDocument): Map<string, number> {
    const scores = new Map<string, number>();
    for (const [field, weight] of this.weights) {
      for (const text of stringsAt(document, field)) {
        const terms = textTerms(text, this.language);
        const perTerm = new Map<string, { count: number; frequency: number }>();
        for (const term of terms) {
          const data = perTerm.get(term) ?? { count: 0, frequency: 0 };
          data.frequency += 1 / 2 ** data.count;
          data.count += 1;
          perTerm.set(term, data);
        }
        for (const [term, data] of perTerm) {
          const coefficient = (0.5 * data.count) / terms.length + 0.5;
          scores.set(term, (scores.get(term) ?? 0) + weight * data.frequency * coefficient);
        }
      }
    }
    return scores;
  }
}

// A text index reads strings, and strings in arrays; other values are not text.
function stringsAt(document: StoredDocument, field: string): string[] {
  return valuesAtPath(document, field)
    .flatMap((value) => (Array.isArray(value) ? value : [value]))
    .filter((value): value is string => typeof value === 'string');
}
