// @ai-chat/mongo-memory: the cost of a unique index on inserts, and of a lookup by unique key versus a scan; the hot
// paths of the chat server (findAndModify, update, find with sort, aggregate $match/$group) with the baseline of a
// ping over the same connection (the driver and wire cost that no engine change can remove).
// Every figure comes with its baseline from the same run (same server, same driver): compare within a run only.
// `node bench/mongo-memory.bench.mjs commands` runs only the per-command round trips (each as a multiple of a ping).
import { createConnection, createServer } from 'node:net';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BSON } from 'bson';
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

const onlyCommands = process.argv[2] === 'commands';
try {
  await commandCosts();
  if (onlyCommands) process.exit(0);
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
if (!onlyCommands) await persistence();

// The round trip of each command the chat server sends most, as a multiple of a ping's round trip over the same
// connection (the driver and wire cost no engine change can remove). The operations run interleaved, one of each in
// turn, so a busy machine slows them alike; each figure is the median of many single round trips.
async function commandCosts() {
  const ROUNDS = 5;
  const PER_ROUND = 400;
  const sessions = await collection('command_sessions', false);
  await sessions.createIndex({ userId: 1, updatedAt: -1, _id: -1 });
  const inserts = await collection('command_inserts', false);
  const users = Array.from({ length: 50 }, () => new ObjectId());
  const stored = Array.from({ length: 5_000 }, (_, index) => ({
    _id: new ObjectId(),
    userId: users[index % users.length],
    title: `session ${index}`,
    createdAt: new Date(Date.now() - index * 60_000),
    updatedAt: new Date(Date.now() - index * 1_000),
    messageCount: index % 40,
    lastMessage: { role: 'assistant', preview: 'lorem ipsum dolor sit amet '.repeat(3) },
  }));
  await sessions.insertMany(stored);
  const session = (round) => stored[(round * 7919) % stored.length];
  const operations = operationsOn(database, sessions, inserts);
  const measured = await measureRounds(operations);
  // The floor: the same replies, recorded once from the engine and replayed by a stand-in that runs no command, so
  // what remains is the driver's and the wire's own cost of each operation (20 documents take the driver time too).
  const replay = await startReplay(server.socketPath);
  const replayClient = await new MongoClient(replay.uri + 'bench', { serverSelectionTimeoutMS: 3_000 }).connect();
  try {
    const replayDatabase = replayClient.db();
    const replayOperations = operationsOn(replayDatabase, replayDatabase.collection('command_sessions'), replayDatabase.collection('command_inserts'));
    for (const name of Object.keys(replayOperations)) await replayOperations[name](0);
    replay.replaying = true;
    const floor = await measureRounds(replayOperations, 2);
    console.log(`per-command round trip, median of ${ROUNDS} rounds of ${PER_ROUND} (each round's median / that round's ping median):`);
    for (const name of Object.keys(operations)) {
      const spread = measured.ratios[name].map((ratio) => ratio.toFixed(2)).join(' ');
      const { ratio } = floor.summary(name);
      console.log(`  ${name.padEnd(30)} ${measured.summary(name).time.toFixed(3).padStart(7)} ms  ${measured.summary(name).ratio.toFixed(2).padStart(5)} x ping  (rounds: ${spread}; replayed without the engine: ${ratio.toFixed(2)} x)`);
    }
    console.log(`  load average ${loadavg().map((load) => load.toFixed(2)).join(' ')}\n`);
  } finally {
    await replayClient.close();
    await replay.stop();
  }

  function operationsOn(database, sessions, inserts) {
    return {
      ping: () => database.command({ ping: 1 }),
      'find by _id': (round) => sessions.findOne({ _id: session(round)._id }),
      'findOne, indexed sort': (round) => sessions.findOne({ userId: users[round % users.length] }, { sort: { updatedAt: -1, _id: -1 } }),
      'find, indexed sort, limit 20': (round) => sessions.find({ userId: users[round % users.length] }).sort({ updatedAt: -1, _id: -1 }).limit(20).toArray(),
      insert: (round) => inserts.insertOne({ userId: users[round % users.length], title: 'a session', createdAt: new Date(), updatedAt: new Date(), messageCount: 0 }),
      findAndModify: (round) =>
        sessions.findOneAndUpdate(
          { _id: session(round)._id, userId: session(round).userId },
          { $set: { updatedAt: new Date(), lastMessage: { role: 'user', preview: `message ${round}` } }, $inc: { messageCount: 1 } },
          { returnDocument: 'after' },
        ),
    };
  }

  async function measureRounds(run, rounds = ROUNDS) {
    const names = Object.keys(run);
    for (let round = 0; round < 300; round += 1) for (const name of names) await run[name](round);
    const ratios = Object.fromEntries(names.map((name) => [name, []]));
    const times = Object.fromEntries(names.map((name) => [name, []]));
    for (let round = 0; round < rounds; round += 1) {
      const samples = Object.fromEntries(names.map((name) => [name, []]));
      for (let index = 0; index < PER_ROUND; index += 1) {
        for (const name of names) {
          const started = performance.now();
          await run[name](round * PER_ROUND + index);
          samples[name].push(performance.now() - started);
        }
      }
      const ping = median(samples.ping);
      for (const name of names) {
        times[name].push(median(samples[name]));
        ratios[name].push(median(samples[name]) / ping);
      }
    }
    return { ratios, summary: (name) => ({ time: median(times[name]), ratio: median(ratios[name]) }) };
  }
}

// A stand-in server for the floor of each operation: it passes a client's messages on to the engine and records the
// first reply to each kind of command; once `replaying` is set, it answers those commands itself with the recorded
// reply (only the ids changed), running nothing. The handshake and monitoring still reach the engine.
async function startReplay(enginePath) {
  const directory = await mkdtemp(join(tmpdir(), 'mongo-memory-replay-'));
  const path = join(directory, 'replay.sock');
  const recorded = new Map();
  const state = { replaying: false };
  const kindOf = (frame) => {
    if (frame.readInt32LE(12) !== 2013 || frame[20] !== 0) return undefined;
    const command = BSON.deserialize(frame.subarray(21, 21 + frame.readInt32LE(21)));
    const name = Object.keys(command)[0];
    if (!['ping', 'find', 'insert', 'findAndModify'].includes(name)) return undefined;
    return `${name}:${command.limit ?? ''}:${command.sort ? Object.keys(command.sort).length : ''}:${command.filter?._id ? 'id' : ''}`;
  };
  const frames = (onFrame) => {
    let pending = Buffer.alloc(0);
    return (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
        const length = pending.readInt32LE(0);
        onFrame(pending.subarray(0, length));
        pending = pending.subarray(length);
      }
    };
  };
  const listener = createServer((socket) => {
    const upstream = createConnection(enginePath);
    const waiting = new Map();
    socket.on('data', frames((frame) => {
      const kind = kindOf(frame);
      const reply = kind && state.replaying ? recorded.get(kind) : undefined;
      if (reply) {
        const copy = Buffer.from(reply);
        copy.writeInt32LE(frame.readInt32LE(4), 8);
        socket.write(copy);
        return;
      }
      if (kind) waiting.set(frame.readInt32LE(4), kind);
      upstream.write(frame);
    }));
    upstream.on('data', frames((frame) => {
      const kind = waiting.get(frame.readInt32LE(8));
      if (kind && !recorded.has(kind)) recorded.set(kind, Buffer.from(frame));
      socket.write(frame);
    }));
    socket.on('close', () => upstream.destroy());
    upstream.on('close', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise((resolve) => listener.listen(path, resolve));
  return {
    uri: `mongodb://${encodeURIComponent(path)}/`,
    set replaying(value) {
      state.replaying = value;
    },
    async stop() {
      await new Promise((resolve) => listener.close(resolve));
      await rm(directory, { recursive: true, force: true });
    },
  };
}

// The chat server's shape: a session document updated on every message, messages appended and paged, a reply lock
// taken with findAndModify, and an aggregation over messages.
async function hotPaths() {
  const ROUNDS = 2_000;
  const sessions = await collection('hot_sessions', false);
  const messages = await collection('hot_messages', false);
  // The server's indexes on messages.
  await messages.createIndex({ sessionId: 1, createdAt: 1, _id: 1 }, { name: 'session_history' });
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

// Persistence: how long the event loop (every client of the engine) waits while a database of a few MB is written,
// against the baseline of serialising it in one go; and how long loading it at start takes.
async function persistence() {
  const MESSAGES = 12_000;
  const directory = await mkdtemp(join(tmpdir(), 'mongo-memory-bench-'));
  const path = join(directory, 'persist.bson');
  try {
    const persisted = await startMongoMemory({ persistDirectory: directory, persistDelayMs: 50 });
    const writer = await new MongoClient(`${persisted.uri}persist`, { serverSelectionTimeoutMS: 3_000 }).connect();
    const messages = writer.db().collection('messages');
    const documents = Array.from({ length: MESSAGES }, (_, index) => ({
      sessionId: new ObjectId(), role: index % 2 ? 'assistant' : 'user', content: 'lorem ipsum '.repeat(30), createdAt: new Date(), tokens: index,
    }));
    for (let start = 0; start < MESSAGES; start += 1_000) await messages.insertMany(documents.slice(start, start + 1_000));
    const written = await waitForQuietFile(path, 400);
    const stored = await messages.find().toArray();
    const started = performance.now();
    for (const document of stored) BSON.serialize(document);
    const naive = performance.now() - started;

    // One small change makes the whole database be written again; pings measure what a client waits meanwhile.
    await messages.updateOne({ tokens: 1 }, { $set: { edited: true } });
    const changedAt = performance.now();
    const gaps = [];
    let done = false;
    const rewritten = waitForNewFile(path, written.mtimeMs).then((file) => ((done = true), file));
    while (!done) {
      const before = performance.now();
      await writer.db().command({ ping: 1 });
      gaps.push(performance.now() - before);
    }
    const file = await rewritten;
    const writeMs = performance.now() - changedAt;
    await writer.close();
    await persisted.stop();
    const loadStarted = performance.now();
    const reloaded = await startMongoMemory({ persistDirectory: directory });
    const loadMs = performance.now() - loadStarted;
    await reloaded.stop();
    console.log(`\npersistence: ${MESSAGES} messages, file ${(file.size / 1024 / 1024).toFixed(1)} MB`);
    console.log(`  serialising it in one go (baseline: what a naive write blocks for)   ${naive.toFixed(1)} ms`);
    console.log(`  written in slices: change to file on disk ${writeMs.toFixed(0)} ms (incl. ${50} ms delay); ${gaps.length} pings meanwhile, slowest ${Math.max(...gaps).toFixed(1)} ms, median ${median(gaps).toFixed(1)} ms`);
    console.log(`  loading it at start ${loadMs.toFixed(0)} ms`);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

async function waitForQuietFile(path, quietMs) {
  let last = await waitForNewFile(path, 0);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    const file = await stat(path);
    if (file.mtimeMs === last.mtimeMs) return file;
    last = file;
  }
}

async function waitForNewFile(path, previousMtimeMs) {
  for (;;) {
    const file = await stat(path).catch(() => undefined);
    if (file && file.mtimeMs !== previousMtimeMs) return file;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function median(values) {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

function percent(indexed, baseline) {
  const change = (indexed / baseline - 1) * 100;
  return `${change >= 0 ? '+' : ''}${change.toFixed(1)}% ops/s vs baseline`;
}
