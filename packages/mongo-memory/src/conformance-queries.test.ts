import { Binary, Double, Long, ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDriver } from './testing/conformance-clients.js';

// Query operators and projections as MongoDB evaluates them; the same scenarios run on a real MongoDB when
// MONGODB_URI is set.
describe('conformance: query operators and projections', () => {
  let driver: Awaited<ReturnType<typeof openDriver>>;
  let database: Db;

  beforeAll(async () => {
    driver = await openDriver('queries');
    database = driver.database;
  });
  afterAll(() => driver.close());

  const namesOf = (documents: Record<string, unknown>[]) => documents.map((document) => document['name']);

  it('matches $all on scalar fields and with regular expressions, and compares only within a type', async () => {
    const posts = database.collection('posts');
    await posts.insertMany([
      { name: 'a', title: 'Aristocats', tags: ['onex', 'twox'], n: 7 },
      { name: 'b', title: 'Bambi', tags: ['twox'], n: 'seven' },
      { name: 'c', n: null },
    ]);
    expect(namesOf(await posts.find({ title: { $all: ['Aristocats'] } }).toArray())).toEqual(['a']);
    expect(namesOf(await posts.find({ tags: { $all: [/^one/, 'twox'] } }).toArray())).toEqual(['a']);
    expect(namesOf(await posts.find({ tags: { $all: [] } }).toArray())).toEqual([]);
    expect(namesOf(await posts.find({ n: { $gt: 5 } }).toArray())).toEqual(['a']);
    expect(namesOf(await posts.find({ n: { $gte: 'a' } }).toArray())).toEqual(['b']);
    expect(namesOf(await posts.find({ n: { $gte: null } }).sort({ name: 1 }).toArray())).toEqual(['c']);
    expect(namesOf(await posts.find({ missing: { $lte: null } }).sort({ name: 1 }).toArray())).toEqual(['a', 'b', 'c']);
  });

  it('compares binary data in $in and ranges, and tests its bits with $bitsAllSet and $bitsAnySet', async () => {
    const blobs = database.collection('blobs');
    await blobs.insertMany([
      { name: 'short', data: new Binary(Buffer.from([0xff])) },
      { name: 'long', data: new Binary(Buffer.from([0x01, 0x00])) },
    ]);
    expect(namesOf(await blobs.find({ data: { $in: [new Binary(Buffer.from([0xff]))] } }).toArray())).toEqual(['short']);
    expect(namesOf(await blobs.find({ data: { $gt: new Binary(Buffer.from([0xff])) } }).toArray())).toEqual(['long']);
    expect(namesOf(await blobs.find({ data: { $bitsAllSet: [0, 7] } }).toArray())).toEqual(['short']);
    expect(namesOf(await blobs.find({ data: { $bitsAnySet: [0] } }).sort({ name: -1 }).toArray())).toEqual(['short', 'long']);
    expect(namesOf(await blobs.find({ data: { $bitsAllClear: [8, 9] } }).toArray())).toEqual(['short', 'long']);
  });

  it('matches $elemMatch by value and by document, DBRef fields in it, and null through arrays', async () => {
    const chats = database.collection('chats');
    const member = new ObjectId();
    await chats.insertMany([
      { name: 'refs', members: [{ $ref: 'users', $id: member, $db: 'app' }], scores: [3, 12] },
      { name: 'plain', items: [{ b: 1 }, { c: 1 }], scores: [1, 4] },
    ]);
    expect(namesOf(await chats.find({ members: { $elemMatch: { $id: member } } }).toArray())).toEqual(['refs']);
    expect(namesOf(await chats.find({ scores: { $elemMatch: { $gt: 10, $lt: 15 } } }).toArray())).toEqual(['refs']);
    expect(namesOf(await chats.find({ scores: { $gt: 3, $lt: 2 } }).toArray())).toEqual(['plain']);
    // Missing fields match null: 'refs' has no items, and one element of 'plain' has no b.
    expect(namesOf(await chats.find({ 'items.b': null }).toArray())).toEqual(['refs', 'plain']);
    expect(namesOf(await chats.find({ 'items.b': { $exists: true } }).toArray())).toEqual(['plain']);
    expect(namesOf(await chats.find({ items: { $elemMatch: { b: 1 } } }).toArray())).toEqual(['plain']);
  });

  it('reads int64 and double values back with their BSON types', async () => {
    const typed = database.collection('typed');
    await typed.insertOne({ name: 'n', long: Long.fromString('9007199254740993'), small: Long.fromNumber(5), double: new Double(42), int: 42 });
    const raw = await typed.findOne({ name: 'n' }, { promoteValues: false });
    expect(raw?.['long']).toEqual(Long.fromString('9007199254740993'));
    expect(raw?.['small']).toEqual(Long.fromNumber(5));
    expect(raw?.['double']).toEqual(new Double(42));
    const bigints = await typed.findOne({ name: 'n' }, { useBigInt64: true });
    expect(bigints?.['small']).toBe(5n);
    expect(await typed.countDocuments({ double: { $type: 'double' }, int: { $type: 'int' }, small: { $type: 'long' } })).toBe(1);
    expect(await typed.countDocuments({ small: 5, double: { $gte: 42 } })).toBe(1);
    expect(await typed.countDocuments({ long: Long.fromString('9007199254740992') })).toBe(0);
  });

  it('keeps int64 keys beyond 2^53 apart in a unique index, and a double equal to an int64 as the same key', async () => {
    const ids = database.collection('big-ids');
    await ids.createIndex({ v: 1 }, { unique: true });
    await ids.insertOne({ v: Long.fromString('9007199254740993') });
    await ids.insertOne({ v: Long.fromString('9007199254740992') });
    await ids.insertOne({ v: Long.fromString('1152921504606846976') });
    await expect(ids.insertOne({ v: 2 ** 60 })).rejects.toMatchObject({ code: 11000 });
    expect(await ids.countDocuments({ v: 2 ** 60 })).toBe(1);
  });

  it('rejects unknown operators, misuse of $in, $mod and $not, and empty logical arrays (2 BadValue)', async () => {
    const any = database.collection('any');
    for (const filter of [
      { a: { $unknown: 1 } },
      { $unknown: 1 },
      { a: { $in: 1 } },
      { a: { $mod: [0, 1] } },
      { a: { $not: {} } },
      { $or: [] },
    ]) {
      await expect(any.find(filter as never).toArray()).rejects.toMatchObject({ code: 2, codeName: 'BadValue' });
    }
  });

  it('evaluates $expr and $jsonSchema in queries', async () => {
    const budgets = database.collection('budgets');
    await budgets.insertMany([
      { name: 'over', spent: 120, budget: 100 },
      { name: 'under', spent: 50, budget: 100, note: 'fine' },
    ]);
    expect(namesOf(await budgets.find({ $expr: { $gt: ['$spent', '$budget'] } }).toArray())).toEqual(['over']);
    const schema = { required: ['note'], properties: { note: { bsonType: 'string' }, spent: { bsonType: 'number', maximum: 100 } } };
    expect(namesOf(await budgets.find({ $jsonSchema: schema }).toArray())).toEqual(['under']);
  });

  it('projects $slice alone without dropping other fields, and keeps the document\'s field order in inclusions', async () => {
    const games = database.collection('games');
    const { insertedId } = await games.insertOne({ name: 'Mass Effect', developer: 'BioWare', arr: [1, 2, 3], meta: { a: 1, b: 2 } });
    expect(await games.findOne({ _id: insertedId }, { projection: { arr: { $slice: 1 } } })).toEqual({
      _id: insertedId,
      name: 'Mass Effect',
      developer: 'BioWare',
      arr: [1],
      meta: { a: 1, b: 2 },
    });
    expect(await games.findOne({ _id: insertedId }, { projection: { developer: 0, arr: { $slice: [1, 1] } } })).toEqual({
      _id: insertedId,
      name: 'Mass Effect',
      arr: [2],
      meta: { a: 1, b: 2 },
    });
    expect(await games.findOne({ _id: insertedId }, { projection: { name: 1, arr: { $slice: -1 } } })).toEqual({ _id: insertedId, name: 'Mass Effect', arr: [3] });
    const included = await games.findOne({ _id: insertedId }, { projection: { 'meta.b': 1, developer: 1, name: 1 } });
    expect(included).toEqual({ _id: insertedId, name: 'Mass Effect', developer: 'BioWare', meta: { b: 2 } });
    expect(Object.keys(included ?? {})).toEqual(['_id', 'name', 'developer', 'meta']);
  });

  it('projects $elemMatch with query operators, the positional $, and refuses mixed or colliding projections', async () => {
    const classes = database.collection('classes');
    const { insertedId } = await classes.insertOne({
      name: 'math',
      students: [{ who: 'ann', grade: 70 }, { who: 'bob', grade: 85 }, { who: 'cy', grade: 90 }],
    });
    expect(await classes.findOne({ _id: insertedId }, { projection: { students: { $elemMatch: { who: { $in: ['bob', 'cy'] } } } } })).toEqual({
      _id: insertedId,
      students: [{ who: 'bob', grade: 85 }],
    });
    expect(await classes.findOne({ 'students.grade': { $gt: 86 } }, { projection: { 'students.$': 1, _id: 0 } })).toEqual({
      students: [{ who: 'cy', grade: 90 }],
    });
    await expect(classes.findOne({}, { projection: { name: 1, students: 0 } })).rejects.toMatchObject({ code: 31254 });
    await expect(classes.findOne({}, { projection: { name: 0, students: 1 } })).rejects.toMatchObject({ code: 31253 });
    await expect(classes.findOne({}, { projection: { students: 1, 'students.who': 1 } })).rejects.toMatchObject({ code: 31249 });
  });
});
