import { ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { canonicalKey, type StoredDocument } from '../bson-values.js';
import { Collection } from '../storage/collection.js';
import { mulberry32 } from '../testing/crash-writes.js';
import { compileFilter } from './compile-filter.js';
import { findDocuments } from './find-documents.js';
import { planIndexScan } from './plan-index-scan.js';
import { sortDocuments, type SortSpecification } from './sort-documents.js';

const SEED = Number(process.env['DIFFERENTIAL_SEED'] ?? Date.now() % 1_000_000);

// Values of mixed BSON types and many ties, so that type order, equal keys and missing fields all occur.
function randomValue(random: () => number): unknown {
  const choice = random();
  if (choice < 0.35) return Math.floor(random() * 8);
  if (choice < 0.55) return new Date(Date.UTC(2025, 0, 1) + Math.floor(random() * 6) * 1_000);
  if (choice < 0.7) return ['x', 'y', 'z'][Math.floor(random() * 3)];
  if (choice < 0.8) return null;
  if (choice < 0.85) return Math.floor(random() * 8) + 0.5;
  return undefined;
}

function randomDocument(random: () => number, id: number): StoredDocument {
  const document: StoredDocument = { _id: random() < 0.5 ? id : new ObjectId() };
  document['owner'] = ['a', 'b', 'c'][Math.floor(random() * 3)];
  for (const field of ['at', 'rank', 'label']) {
    const value = randomValue(random);
    if (value !== undefined) document[field] = value;
  }
  return document;
}

function randomBound(random: () => number): Record<string, unknown> {
  const operator = ['$lt', '$lte', '$gt', '$gte', '$eq'][Math.floor(random() * 5)] as string;
  return { [operator]: randomValue(random) ?? 3 };
}

function randomFilter(random: () => number): StoredDocument {
  const filter: StoredDocument = { owner: ['a', 'b', 'c', 'd'][Math.floor(random() * 4)] };
  const shape = random();
  if (shape < 0.2) filter['at'] = randomBound(random);
  else if (shape < 0.35) filter['at'] = randomValue(random) ?? 2;
  else if (shape < 0.55) {
    // The cursor pagination of the chat server: after (at, _id) in descending order.
    const at = randomValue(random) ?? 1;
    filter['$or'] = [{ at: { $lt: at } }, { at, _id: { $lt: Math.floor(random() * 60) } }];
  } else if (shape < 0.65) filter['$and'] = [{ at: randomBound(random) }, { at: randomBound(random) }];
  else if (shape < 0.75) filter['at'] = { $in: [randomValue(random) ?? 1, randomValue(random) ?? 2] };
  if (random() < 0.3) filter['label'] = randomValue(random) ?? 'x';
  if (random() < 0.2) filter['rank'] = { $gte: Math.floor(random() * 8) };
  return filter;
}

const SORTS: SortSpecification[] = [
  { at: -1, _id: -1 },
  { at: 1, _id: 1 },
  { at: 1 },
  { at: -1 },
  { at: 1, rank: 1 },
  { at: -1, rank: -1, label: -1 },
  { owner: 1, at: -1 },
  { rank: 1 },
  { at: 1, _id: -1 },
];

describe(`an index walked in order answers as a scan and a stable sort do (seed ${SEED})`, () => {
  it('for random documents, writes, filters, sorts, skips and limits', () => {
    const random = mulberry32(SEED);
    const collection = new Collection('test', 'sessions');
    collection.createIndex({ key: { owner: 1, at: -1, _id: -1 }, name: 'owner_recent' });
    collection.createIndex({ key: { owner: 1, at: 1, rank: 1, label: 1 }, name: 'owner_at_rank_label' });
    let next = 0;
    for (; next < 300; next += 1) collection.insert(randomDocument(random, next));
    let walked = 0;
    for (let round = 0; round < 1_500; round += 1) {
      // Writes between queries: the index must follow inserts, changes of the sorted fields and removals.
      const write = random();
      const stored = [...collection.documents.values()];
      const target = stored[Math.floor(random() * stored.length)];
      if (write < 0.3) collection.insert(randomDocument(random, (next += 1)));
      else if (write < 0.6 && target) collection.replace({ ...randomDocument(random, 0), _id: target['_id'] });
      else if (write < 0.7 && target) collection.remove(canonicalKey(target['_id']));
      const filter = randomFilter(random);
      const sort = SORTS[Math.floor(random() * SORTS.length)] as SortSpecification;
      const skip = random() < 0.3 ? Math.floor(random() * 4) : 0;
      const limit = random() < 0.8 ? Math.floor(random() * 12) : 0;
      if (planIndexScan(collection, filter, sort)) walked += 1;
      const expected = sortDocuments([...collection.documents.values()].filter(compileFilter(filter)), sort).slice(skip, limit > 0 ? skip + limit : undefined);
      const found = findDocuments(collection, filter, { sort, skip, limit });
      expect({ filter, sort, skip, limit, ids: found.map((document) => canonicalKey(document['_id'])) }).toEqual({
        filter,
        sort,
        skip,
        limit,
        ids: expected.map((document) => canonicalKey(document['_id'])),
      });
    }
    // Most queries took the index walk: the comparison above is about it, not about the scan.
    expect(walked).toBeGreaterThan(600);
  });

  it('reads only what a limited query returns, whatever the number of documents of the owner', () => {
    const collection = new Collection('test', 'sessions');
    collection.createIndex({ key: { owner: 1, at: -1, _id: -1 }, name: 'owner_recent' });
    for (let id = 0; id < 5_000; id += 1) collection.insert({ _id: id, owner: 'many', at: new Date(id * 1_000) });
    const plan = planIndexScan(collection, { owner: 'many', at: { $lt: new Date(4_000_000) } }, { at: -1, _id: -1 });
    expect(plan).toMatchObject({ direction: 1, keys: 4_000 });
    let read = 0;
    for (const document of plan?.documents ?? []) {
      read += 1;
      if (read === 20) {
        expect(document['_id']).toBe(3_980);
        break;
      }
    }
    expect(read).toBe(20);
  });

  it('leaves a multikey index to the blocking sort', () => {
    const collection = new Collection('test', 'tagged');
    collection.createIndex({ key: { owner: 1, tags: 1 }, name: 'owner_tags' });
    collection.insert({ _id: 1, owner: 'a', tags: ['b', 'z'] });
    collection.insert({ _id: 2, owner: 'a', tags: 'c' });
    expect(planIndexScan(collection, { owner: 'a' }, { tags: -1 })).toBeUndefined();
    expect(findDocuments(collection, { owner: 'a' }, { sort: { tags: -1 } }).map((document) => document['_id'])).toEqual([1, 2]);
  });
});
