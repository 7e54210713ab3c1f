import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMongoMemory, type MongoMemoryServer } from './start-mongo-memory.js';
import { CLIENT_TIMEOUTS } from './testing/conformance-clients.js';

// What the engine does not implement must be refused (NotImplemented, 238), never answered with a wrong result.
// Engine-only: a real MongoDB implements these.
describe('mongo-memory: features it lacks answer with NotImplemented', () => {
  let server: MongoMemoryServer;
  let client: MongoClient;
  let database: Db;

  beforeAll(async () => {
    server = await startMongoMemory();
    client = await new MongoClient(`${server.uri}declined`, CLIENT_TIMEOUTS).connect();
    database = client.db();
    await database.collection('places').insertOne({ name: 'home', location: { type: 'Point', coordinates: [1, 2] } });
  });
  afterAll(async () => {
    await client.close();
    await server.stop();
  });

  const notImplemented = { code: 238, codeName: 'NotImplemented' };

  it('refuses $where, $text and geospatial query operators', async () => {
    const places = database.collection('places');
    await expect(places.find({ $where: 'this.name === "home"' }).toArray()).rejects.toMatchObject(notImplemented);
    await expect(places.find({ location: { $near: { $geometry: { type: 'Point', coordinates: [1, 2] } } } }).toArray()).rejects.toMatchObject(notImplemented);
    await expect(places.find({ location: { $geoWithin: { $centerSphere: [[1, 2], 1] } } }).toArray()).rejects.toMatchObject(notImplemented);
    await expect(places.find({}, { projection: { score: { $meta: 'textScore' } } }).toArray()).rejects.toMatchObject(notImplemented);
    await expect(places.find({}).sort({ score: { $meta: 'textScore' } }).toArray()).rejects.toMatchObject(notImplemented);
  });

  it('refuses the forms of $text it lacks: phrases, negations, case or diacritic sensitivity, other languages, $text below the top', async () => {
    const texts = database.collection('texts');
    await texts.createIndex({ body: 'text' });
    await texts.insertOne({ body: 'at home' });
    expect(await texts.countDocuments({ $text: { $search: 'home' } })).toBe(1);
    await expect(texts.find({ $text: { $search: '"at home"' } }).toArray()).rejects.toMatchObject(notImplemented);
    await expect(texts.find({ $text: { $search: 'home -away' } }).toArray()).rejects.toMatchObject(notImplemented);
    await expect(texts.find({ $text: { $search: 'home', $caseSensitive: true } }).toArray()).rejects.toMatchObject(notImplemented);
    await expect(texts.find({ $text: { $search: 'home', $diacriticSensitive: true } }).toArray()).rejects.toMatchObject(notImplemented);
    await expect(texts.find({ $text: { $search: 'casa', $language: 'portuguese' } }).toArray()).rejects.toMatchObject(notImplemented);
    await expect(texts.find({ $or: [{ $text: { $search: 'home' } }, { body: 'x' }] }).toArray()).rejects.toMatchObject(notImplemented);
    await expect(database.collection('texts_fr').createIndex({ body: 'text' }, { default_language: 'french' })).rejects.toMatchObject(notImplemented);
    await expect(database.collection('texts_any').createIndex({ '$**': 'text' })).rejects.toMatchObject(notImplemented);
  });

  it('refuses find options and let variables whose effect it does not have', async () => {
    const places = database.collection('places');
    await expect(places.find({}).min({ name: 'a' }).toArray()).rejects.toMatchObject(notImplemented);
    await expect(places.find({}).returnKey(true).toArray()).rejects.toMatchObject(notImplemented);
    await expect(places.find({ $expr: { $eq: ['$name', '$$wanted'] } }, { let: { wanted: 'home' } }).toArray()).rejects.toMatchObject(notImplemented);
    expect(await places.countDocuments({ name: 'home' })).toBe(1);
  });

  it('refuses $geoNear, $search and change streams in pipelines, and views', async () => {
    const places = database.collection('places');
    await expect(places.aggregate([{ $geoNear: { near: [1, 2], distanceField: 'd' } }]).toArray()).rejects.toMatchObject(notImplemented);
    await expect(places.aggregate([{ $search: { text: { query: 'home', path: 'name' } } }]).toArray()).rejects.toMatchObject(notImplemented);
    const stream = places.watch();
    await expect(stream.tryNext()).rejects.toMatchObject(notImplemented);
    await stream.close();
    await expect(database.createCollection('homes', { viewOn: 'places', pipeline: [] })).rejects.toMatchObject(notImplemented);
  });

  it('refuses a string comparison in a pipeline it could not do with the collation', async () => {
    const places = database.collection('places');
    await expect(places.aggregate([{ $group: { _id: '$name' } }], { collation: { locale: 'en', strength: 2 } }).toArray()).rejects.toMatchObject(notImplemented);
    expect(await places.countDocuments({ name: 'HOME' }, { collation: { locale: 'en', strength: 2 } })).toBe(1);
  });

  it('sets the TTL monitor period with setParameter, and expires a time-series collection by its time field', async () => {
    const admin = client.db('admin');
    await expect(admin.command({ setParameter: 1, notAParameter: 1 })).rejects.toMatchObject(notImplemented);
    expect(await admin.command({ setParameter: 1, ttlMonitorSleepSecs: 1 })).toMatchObject({ was: 60 });
    await database.createCollection('samples', { timeseries: { timeField: 'at' }, expireAfterSeconds: 1 });
    const samples = database.collection('samples');
    await samples.insertMany([{ at: new Date(Date.now() - 60_000), v: 1 }, { at: new Date(Date.now() + 3_600_000), v: 2 }]);
    await expect.poll(() => samples.countDocuments(), { timeout: 10_000, interval: 200 }).toBe(1);
  });
});
