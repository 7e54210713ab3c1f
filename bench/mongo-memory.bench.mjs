// @ai-chat/mongo-memory: the cost of a unique index on inserts, and of a lookup by unique key versus a scan.
// Every figure comes with its baseline from the same run (same server, same driver): compare within a run only.
import { MongoClient } from 'mongodb';
import { startMongoMemory } from '../packages/mongo-memory/dist/index.js';

const COUNT = 10_000;
const LOOKUPS = 2_000;

const server = await startMongoMemory();
const client = await new MongoClient(`${server.uri}bench`, { serverSelectionTimeoutMS: 3_000, socketTimeoutMS: 60_000 }).connect();
const database = client.db();

async function timed(label, operations, run) {
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  const rate = operations / seconds;
  console.log(`${label.padEnd(58)} ${String(Math.round(rate)).padStart(8)} ops/s  (${(seconds * 1000).toFixed(0)} ms)`);
  return rate;
}

async function collection(name, unique) {
  const created = database.collection(name);
  await created.drop().catch(() => undefined);
  if (unique) await created.createIndex({ key: 1 }, { unique: true });
  return created;
}

const documents = (prefix) => Array.from({ length: COUNT }, (_, index) => ({ key: `${prefix}-${index}`, index, text: 'x'.repeat(64) }));

// Warm up the JIT on both sides (driver and engine) so the first measurement is not penalised.
async function warmUp() {
  const scratch = await collection('warm_up', true);
  for (const document of documents('w').slice(0, 3_000)) await scratch.insertOne(document);
  for (let index = 0; index < 1_000; index += 1) await scratch.findOne({ key: `w-${index}` });
  await scratch.drop();
}

try {
  await warmUp();
  const plainOne = await collection('plain_one', false);
  const baselineOne = await timed(`insertOne x${COUNT}, no unique index (baseline)`, COUNT, async () => {
    for (const document of documents('p')) await plainOne.insertOne(document);
  });
  const uniqueOne = await collection('unique_one', true);
  const indexedOne = await timed(`insertOne x${COUNT}, unique index on key`, COUNT, async () => {
    for (const document of documents('u')) await uniqueOne.insertOne(document);
  });

  const plainMany = await collection('plain_many', false);
  const baselineMany = await timed(`insertMany of ${COUNT}, no unique index (baseline)`, COUNT, () => plainMany.insertMany(documents('p')));
  const uniqueMany = await collection('unique_many', true);
  const indexedMany = await timed(`insertMany of ${COUNT}, unique index on key`, COUNT, () => uniqueMany.insertMany(documents('u')));

  const keys = Array.from({ length: LOOKUPS }, () => Math.floor(Math.random() * COUNT));
  const byKey = await timed(`findOne by unique key x${LOOKUPS}`, LOOKUPS, async () => {
    for (const index of keys) if (!(await uniqueMany.findOne({ key: `u-${index}` }))) throw new Error('missing document');
  });
  const byScan = await timed(`findOne by unindexed field x${LOOKUPS} (baseline: full scan)`, LOOKUPS, async () => {
    for (const index of keys) if (!(await uniqueMany.findOne({ index }))) throw new Error('missing document');
  });

  console.log(`\nunique index cost: insertOne ${percent(indexedOne, baselineOne)}, insertMany ${percent(indexedMany, baselineMany)}`);
  console.log(`lookup by unique key is ${(byKey / byScan).toFixed(1)}x the rate of a scan over ${COUNT} documents`);
} finally {
  await client.close();
  await server.stop();
}

function percent(indexed, baseline) {
  const change = (indexed / baseline - 1) * 100;
  return `${change >= 0 ? '+' : ''}${change.toFixed(1)}% ops/s vs baseline`;
}
