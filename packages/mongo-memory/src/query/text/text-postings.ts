import { canonicalKey, type StoredDocument } from '../../bson-values.js';
import { valuesAtPath } from '../../document-paths.js';
import { textTerms, type TextLanguage } from './text-terms.js';

/**
 * The inverted index of a text index: for each term, the documents holding it with the term's score in each, as
 * MongoDB scores a version 3 text index: in each field, every further occurrence of a term adds half of what the
 * one before added (1, 1/2, 1/4...), scaled by how much of the field the term is (`0.5 + 0.5 * count / words`) and by
 * the field's weight. A document's `textScore` is the sum over the query's distinct terms. The postings are kept
 * apart for each value of the index's prefix fields (those before its text fields, such as an owner), which a query
 * must give by equality: a search reads only the documents with that value.
 */
/** A document a text search found, with its text score. */
export interface TextHit {
  document: StoredDocument;
  score: number;
}

export class TextPostings {
  // partition → term → _id key → the document (as stored now) and the term's score in it.
  readonly #partitions = new Map<string, Map<string, Map<string, TextHit>>>();
  readonly #placeOf = new Map<string, { partition: string; terms: string[] }>();

  constructor(
    readonly weights: ReadonlyMap<string, number>,
    readonly language: TextLanguage,
    readonly prefixFields: readonly string[],
  ) {}

  /** The partition of the prefix fields' values (as a document holds them, or as a query's equalities give them). */
  partitionKey(valueOf: (field: string) => unknown): string {
    return this.prefixFields.map((field) => canonicalKey(valueOf(field))).join('|');
  }

  /** Records, replaces or (without `document`) forgets the terms of a document. */
  update(idKey: string, document: StoredDocument | undefined): void {
    const place = this.#placeOf.get(idKey);
    if (place) {
      const postings = this.#partitions.get(place.partition);
      for (const term of place.terms) {
        const documents = postings?.get(term);
        documents?.delete(idKey);
        if (documents?.size === 0) postings?.delete(term);
      }
      if (postings?.size === 0) this.#partitions.delete(place.partition);
      this.#placeOf.delete(idKey);
    }
    if (!document) return;
    const scores = this.#scoresOf(document);
    if (scores.size === 0) return;
    const partition = this.partitionKey((field) => valuesAtPath(document, field)[0]);
    let postings = this.#partitions.get(partition);
    if (!postings) this.#partitions.set(partition, (postings = new Map()));
    for (const [term, score] of scores) {
      let documents = postings.get(term);
      if (!documents) postings.set(term, (documents = new Map()));
      documents.set(idKey, { document, score });
    }
    this.#placeOf.set(idKey, { partition, terms: [...scores.keys()] });
  }

  /** The documents of a partition holding any of the terms, each with its text score (the sum over the terms). */
  search(partition: string, terms: Iterable<string>): TextHit[] {
    const postings = this.#partitions.get(partition);
    if (!postings) return [];
    const distinct = [...new Set(terms)];
    // Hits are never changed by readers, so one term hands out its own entries.
    if (distinct.length === 1) return [...(postings.get(distinct[0] as string)?.values() ?? [])];
    const found = new Map<string, TextHit>();
    for (const term of distinct) {
      for (const [idKey, hit] of postings.get(term) ?? []) {
        const seen = found.get(idKey);
        if (seen) seen.score += hit.score;
        else found.set(idKey, { ...hit });
      }
    }
    return [...found.values()];
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
