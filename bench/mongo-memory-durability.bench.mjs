// @ai-chat/mongo-memory: what durable acknowledgements cost. The same writes (insertOne, updateOne, findOneAndUpdate)
// through the driver, one at a time and from 16 concurrent callers, in three modes of the same build: memory only,
// the persistence folder without the journal (`persistJournal: false`, the behaviour before the journal: the database
// is rewritten 300 ms after a change, a crash loses those changes) and with the journal (a write is acknowledged once
// its record is flushed to disk; writes arriving during a flush share the next one). Compare within a run only.
// Then the long form of the crash test: the engine in a child process killed with SIGKILL 25 times during writes.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { startMongoMemory } from '../packages/mongo-memory/dist/index.js';

const OPERATIONS = 1_500;
const CONCURRENCY = 16;

async function measure(label, options) {
  const directory = options ? await mkdtemp(join(tmpdir(), 'mongo-memory-bench-')) : undefined;
  const server = await startMongoMemory(options ? { persistDirectory: directory, ...options } : {});
  const client = await new MongoClient(`${server.uri}bench`, { serverSelectionTimeoutMS: 3_000, maxPoolSize: CONCURRENCY }).connect();
  const items = client.db().collection('items');
  const counters = client.db().collection('counters');
  const rates = {};
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, () => client.db().command({ ping: 1 })));
    for (const concurrency of [1, CONCURRENCY]) {
      const run = async (name, write) => {
        const started = performance.now();
        let next = 0;
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (next < OPERATIONS) await write(next++);
          }),
        );
        rates[`${name} x${concurrency}`] = OPERATIONS / ((performance.now() - started) / 1000);
      };
      await run('insertOne', (index) => items.insertOne({ _id: `${concurrency}-${index}`, index, text: 'x'.repeat(200) }));
      await run('updateOne', (index) => items.updateOne({ _id: `${concurrency}-${index}` }, { $set: { edited: true } }));
      await run('findOneAndUpdate', (index) => counters.findOneAndUpdate({ _id: index % 50 }, { $inc: { n: 1 } }, { upsert: true, returnDocument: 'after' }));
    }
  } finally {
    await client.close();
    await server.stop();
    if (directory) await rm(directory, { recursive: true, force: true });
  }
  return { label, rates };
}

// Warms up the JIT on both sides (driver and engine), so that the first mode measured is not penalised.
await measure('warm-up', undefined);
const results = [
  await measure('memory only', undefined),
  await measure('folder, no journal (before)', { persistJournal: false }),
  await measure('folder, journal (after)', {}),
];
const columns = Object.keys(results[0].rates);
console.log(`${'ops/s'.padEnd(30)}${columns.map((column) => column.padStart(22)).join('')}`);
for (const { label, rates } of results) console.log(`${label.padEnd(30)}${columns.map((column) => String(Math.round(rates[column])).padStart(22)).join('')}`);
const journal = results[2].rates;
console.log(
  `group commit: with ${CONCURRENCY} concurrent callers the journal does ${(journal[`insertOne x${CONCURRENCY}`] / journal['insertOne x1']).toFixed(1)}x the inserts per second of one caller`,
);

if (process.env.CRASH_ROUNDS !== '0') {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const rounds = process.env.CRASH_ROUNDS ?? '25';
  console.log(`\ncrash test, long form (${rounds} kills with SIGKILL during acknowledged writes):`);
  const result = spawnSync('npx', ['vitest', 'run', '--project', 'mongo-memory', 'packages/mongo-memory/src/persistence/journal.test.ts', '-t', 'killed at random'], {
    cwd: root,
    env: { ...process.env, CRASH_ROUNDS: rounds },
    encoding: 'utf8',
  });
  const line = `${result.stdout}${result.stderr}`.split('\n').find((text) => text.includes('crash test (seed'));
  console.log(line ?? `${result.stdout}\n${result.stderr}`);
  if (result.status !== 0) process.exitCode = 1;
}
