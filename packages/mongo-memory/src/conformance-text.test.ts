import { ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDriver } from './testing/conformance-clients.js';

// `$text` searches as the server uses them (a text index with an owner prefix, `$meta: 'textScore'` projected and
// sorted); the same scenarios run on a real MongoDB when MONGODB_URI is set.
describe('conformance: text indexes and $text', () => {
  let driver: Awaited<ReturnType<typeof openDriver>>;
  let database: Db;
  const alice = new ObjectId();
  const bob = new ObjectId();

  beforeAll(async () => {
    driver = await openDriver('text');
    database = driver.database;
    const notes = database.collection('notes');
    await notes.createIndex({ userId: 1, content: 'text' }, { name: 'owner_text' });
    await notes.insertMany([
      { name: 'hotels', userId: alice, content: 'Cheap hotels near the Lisbon harbour' },
      { name: 'running', userId: alice, content: 'I was running every morning; runners run.' },
      { name: 'cafe', userId: alice, content: 'A CAFÉ with good coffee' },
      { name: 'long', userId: alice, content: 'The hotel was fine but the trip itself was long, tiring, expensive, and far too rainy to enjoy' },
      { name: 'twice', userId: alice, content: 'hotel hotel' },
      { name: 'other owner', userId: bob, content: 'Hotels in Porto' },
      { name: 'no text', userId: alice, content: 42 },
    ]);
  });
  afterAll(() => driver.close());

  const namesOf = (documents: Record<string, unknown>[]) => documents.map((document) => document['name']);
  const search = (search: string, owner = alice) => database.collection('notes').find({ userId: owner, $text: { $search: search } });

  it('lists a text index as MongoDB stores it', async () => {
    const indexes = await database.collection('notes').listIndexes().toArray();
    const text = indexes.find((index) => index['name'] === 'owner_text');
    expect(text).toMatchObject({ key: { userId: 1, _fts: 'text', _ftsx: 1 }, weights: { content: 1 }, default_language: 'english', language_override: 'language', textIndexVersion: 3 });
    // Creating it again as first written is a no-op.
    await database.collection('notes').createIndex({ userId: 1, content: 'text' }, { name: 'owner_text' });
  });

  it('finds whole words by their stem, any of the terms, ignoring case, diacritics and stop words, within the owner', async () => {
    expect(namesOf(await search('hotel').sort({ name: 1 }).toArray())).toEqual(['hotels', 'long', 'twice']);
    expect(namesOf(await search('RUNS').toArray())).toEqual(['running']);
    expect(namesOf(await search('cafe').toArray())).toEqual(['cafe']);
    expect(namesOf(await search('lisbon coffee').sort({ name: 1 }).toArray())).toEqual(['cafe', 'hotels']);
    expect(namesOf(await search('the was and').toArray())).toEqual([]);
    expect(namesOf(await search('hot').toArray())).toEqual([]);
    expect(namesOf(await search('hotels', bob).toArray())).toEqual(['other owner']);
    expect(await database.collection('notes').countDocuments({ userId: alice, $text: { $search: 'hotel' } })).toBe(3);
  });

  it('projects and sorts by textScore: more occurrences in a shorter text score higher', async () => {
    const found = await search('hotel')
      .project({ name: 1, score: { $meta: 'textScore' } })
      .sort({ score: { $meta: 'textScore' } })
      .toArray();
    expect(namesOf(found)).toEqual(['twice', 'hotels', 'long']);
    const scores = found.map((document) => document['score'] as number);
    expect(scores[0]).toBeGreaterThan(scores[1]!);
    expect(scores[1]).toBeGreaterThan(scores[2]!);
    expect(Object.keys(found[0]!).sort()).toEqual(['_id', 'name', 'score']);
    // A document matching two of the terms scores above one matching one of them, other things equal.
    const both = await search('cheap harbour coffee').project({ name: 1, score: { $meta: 'textScore' } }).sort({ score: { $meta: 'textScore' } }).limit(1).toArray();
    expect(namesOf(both)).toEqual(['hotels']);
  });

  it('combines $text with other conditions, and keeps up with writes', async () => {
    const notes = database.collection('notes');
    expect(namesOf(await notes.find({ userId: alice, name: { $ne: 'twice' }, $text: { $search: 'hotel' } }).sort({ name: 1 }).toArray())).toEqual(['hotels', 'long']);
    const { insertedId } = await notes.insertOne({ name: 'added', userId: alice, content: 'A new hotel' });
    expect(namesOf(await search('hotel').sort({ name: 1 }).toArray())).toContain('added');
    await notes.updateOne({ _id: insertedId }, { $set: { content: 'A new guesthouse' } });
    expect(namesOf(await search('hotel').toArray())).not.toContain('added');
    expect(namesOf(await search('guesthouse').toArray())).toEqual(['added']);
    await notes.deleteOne({ _id: insertedId });
    expect(namesOf(await search('guesthouse').toArray())).toEqual([]);
  });

  it('refuses $text without a text index, and without an equality on the prefix field of a compound one', async () => {
    await database.collection('plain').insertOne({ content: 'hotel' });
    await expect(database.collection('plain').find({ $text: { $search: 'hotel' } }).toArray()).rejects.toMatchObject({ code: 27 });
    await expect(database.collection('notes').find({ $text: { $search: 'hotel' } }).toArray()).rejects.toMatchObject({ code: 2 });
  });
});
