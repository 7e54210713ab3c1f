// @ai-chat/mongo-memory: the cost of a unique index on inserts, and of a lookup by unique key versus a scan; the hot
// paths of the chat server (findAndModify, update, find with sort, aggregate $match/$group) with the baseline of a
// ping over the same connection (the driver and wire cost that no engine change can remove).
// Every figure comes with its baseline from the same run (same server, same driver): compare within a run only.
import { MongoClient, ObjectId } from 'mongodb';
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

  await hotPaths();

  console.log(`\nunique index cost: insertOne ${percent(indexedOne, baselineOne)}, insertMany ${percent(indexedMany, baselineMany)}`);
  console.log(`lookup by unique key is ${(byKey / byScan).toFixed(1)}x the rate of a scan over ${COUNT} documents`);
} finally {
  await client.close();
  await server.stop();
}

// The chat server's shape: a session document updated on every message, messages appended and paged, a reply lock
// taken with findAndModify, and an aggregation over messages.
async function hotPaths() {
  const ROUNDS = 2_000;
  const sessions = await collection('hot_sessions', false);
  const messages = await collection('hot_messages', false);
  await messages.createIndex({ sessionId: 1, clientMessageId: 1 }, { unique: true, partialFilterExpression: { clientMessageId: { $exists: true } } });
  const userId = new ObjectId();
  const ids = Array.from({ length: 50 }, () => new ObjectId());
  await sessions.insertMany(ids.map((_id) => ({ _id, userId, title: 'a session', messageCount: 0, updatedAt: new Date() })));
  const pick = (round) => ids[round % ids.length];
  console.log('');
  const ping = await timed(`ping x${ROUNDS} (baseline: driver and wire only)`, ROUNDS, async () => {
    for (let round = 0; round < ROUNDS; round += 1) await database.command({ ping: 1 });
  });
  const rates = {};
  rates.findAndModify = await timed(`findOneAndUpdate $set/$inc by _id+owner x${ROUNDS}`, ROUNDS, async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      await sessions.findOneAndUpdate(
        { _id: pick(round), userId },
        { $set: { updatedAt: new Date(), lastMessage: { role: 'user', preview: `message ${round}` } }, $inc: { messageCount: 1 } },
        { returnDocument: 'after' },
      );
    }
  });
  rates.lock = await timed(`findOneAndUpdate with $or (reply lock) x${ROUNDS}`, ROUNDS, async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const now = new Date();
      await sessions.findOneAndUpdate(
        { _id: pick(round), $or: [{ lockedUntil: { $exists: false } }, { lockedUntil: null }, { lockedUntil: { $lt: now } }] },
        { $set: { lockedUntil: new Date(now.getTime() + 1) } },
      );
    }
  });
  rates.update = await timed(`updateOne $set + upsert with $setOnInsert x${ROUNDS}`, ROUNDS, async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      await messages.updateOne(
        { sessionId: pick(round), clientMessageId: `c-${round}` },
        { $set: { content: 'x'.repeat(200), updatedAt: new Date() }, $setOnInsert: { createdAt: new Date(), role: 'user' } },
        { upsert: true },
      );
    }
  });
  rates.find = await timed(`find by session, sort, limit 20 x${ROUNDS}`, ROUNDS, async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      await messages.find({ sessionId: pick(round), createdAt: { $gte: new Date(0) } }).sort({ createdAt: -1, _id: -1 }).limit(20).toArray();
    }
  });
  rates.aggregate = await timed(`aggregate $match/$group by session x${ROUNDS}`, ROUNDS, async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      await messages.aggregate([{ $match: { sessionId: { $in: [pick(round), pick(round + 1)] } } }, { $group: { _id: '$sessionId', count: { $sum: 1 } } }]).toArray();
    }
  });
  const engineMs = (rate) => (1000 / rate - 1000 / ping).toFixed(3);
  console.log(
    `engine time per operation beyond a ping (ms): ${Object.entries(rates).map(([name, rate]) => `${name} ${engineMs(rate)}`).join(', ')}`,
  );
}

function percent(indexed, baseline) {
  const change = (indexed / baseline - 1) * 100;
  return `${change >= 0 ? '+' : ''}${change.toFixed(1)}% ops/s vs baseline`;
}
