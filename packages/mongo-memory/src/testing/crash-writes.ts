import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MongoClient, type Collection, type Document } from 'mongodb';
import { readDatabaseFile } from '../persistence/database-file.js';
import { readJournal } from '../persistence/journal-file.js';
import { readFile } from 'node:fs/promises';
import type { EngineProcess, EngineProcessOptions } from './engine-process.js';
import { KILLED_SERVER_OPTIONS, serverGone } from './server-gone.js';

/** What {@link crashWhileWriting} counted over all its rounds. */
export interface CrashReport {
  rounds: number;
  /** Writes whose acknowledgement the client received before the kill. */
  acknowledged: number;
  /** Acknowledged writes missing (or older than acknowledged) after the restart: must be 0. */
  lost: number;
  /** Files the restarted engine could not read, or that are not intact after it folded the journal: must be 0. */
  damaged: number;
  /** Torn journal tails found at restarts (a record half written when the process died: never acknowledged). */
  tornTails: number;
}

interface Acknowledged {
  // _id of every document whose insert was acknowledged, with the number of acknowledged updates of it.
  updates: Map<string, number>;
  // Per worker, the last counter value a findAndModify returned.
  counters: Map<string, number>;
  count: number;
}

const WORKERS = 6;

/**
 * Runs a stream of acknowledged writes (inserts, updates, findAndModify) from several concurrent clients against an
 * engine in a child process, kills it with SIGKILL after a random number of acknowledgements, restarts it on the same
 * folder and checks that every acknowledged write is there; `rounds` times over the same, growing, data.
 */
export async function crashWhileWriting(options: {
  start(directory: string, options?: EngineProcessOptions): Promise<EngineProcess>;
  directory: string;
  rounds: number;
  seed: number;
  engineOptions?: EngineProcessOptions;
}): Promise<CrashReport> {
  const random = mulberry32(options.seed);
  const acknowledged: Acknowledged = { updates: new Map(), counters: new Map(), count: 0 };
  const report: CrashReport = { rounds: 0, acknowledged: 0, lost: 0, damaged: 0, tornTails: 0 };
  for (let round = 0; round < options.rounds; round += 1) {
    report.tornTails += await tornTails(options.directory);
    const engine = await options.start(options.directory, options.engineOptions).catch((error: unknown) => {
      report.damaged += 1;
      throw error;
    });
    const client = await new MongoClient(`${engine.uri}crash`, { serverSelectionTimeoutMS: 5_000, socketTimeoutMS: 10_000, maxPoolSize: WORKERS, ...KILLED_SERVER_OPTIONS }).connect();
    const gone = serverGone(client);
    try {
      const items = client.db().collection<Document>('items');
      report.lost += await countLost(items, client.db().collection<Document>('counters'), acknowledged);
      const killAfter = acknowledged.count + 20 + Math.floor(random() * 180);
      let killed: Promise<void> | undefined;
      const kill = () => (killed ??= engine.kill());
      await Promise.all(
        Array.from({ length: WORKERS }, (_, worker) => writeUntilKilled(client, `r${round}w${worker}`, acknowledged, random, () => {
          if (acknowledged.count >= killAfter) void kill();
          return killed !== undefined;
        })),
      );
      await kill();
    } finally {
      await engine.kill();
      await gone;
      await client.close();
    }
    report.rounds += 1;
  }
  report.tornTails += await tornTails(options.directory);
  // The last check: a fresh engine reads everything back, then folds the journal into files that read back intact.
  const engine = await options.start(options.directory, options.engineOptions).catch((error: unknown) => {
    report.damaged += 1;
    throw error;
  });
  const client = await new MongoClient(`${engine.uri}crash`, { serverSelectionTimeoutMS: 5_000 }).connect();
  try {
    report.lost += await countLost(client.db().collection('items'), client.db().collection('counters'), acknowledged);
  } finally {
    // Closed while the engine still runs: nothing is written here, so the order does not matter for what is checked.
    await client.close();
    await engine.kill();
  }
  for (const name of (await readdir(options.directory)).filter((file) => file.endsWith('.bson'))) {
    await readDatabaseFile(join(options.directory, name)).catch(() => (report.damaged += 1));
  }
  report.acknowledged = acknowledged.count;
  return report;
}

async function writeUntilKilled(client: MongoClient, name: string, acknowledged: Acknowledged, random: () => number, stop: () => boolean): Promise<void> {
  const items = client.db().collection<Document>('items');
  const counters = client.db().collection<Document>('counters');
  const mine: string[] = [];
  try {
    while (!stop()) {
      const choice = random();
      if (choice < 0.4 || mine.length === 0) {
        const id = `${name}-${mine.length}`;
        await items.insertOne({ _id: id as never, worker: name, updates: 0, body: 'x'.repeat(Math.floor(random() * 2_000)) });
        acknowledged.updates.set(id, 0);
        mine.push(id);
      } else if (choice < 0.75) {
        const id = mine[Math.floor(random() * mine.length)] as string;
        await items.updateOne({ _id: id as never }, { $inc: { updates: 1 }, $set: { touched: new Date() } });
        acknowledged.updates.set(id, (acknowledged.updates.get(id) ?? 0) + 1);
      } else {
        const after = await counters.findOneAndUpdate({ _id: name as never }, { $inc: { n: 1 } }, { upsert: true, returnDocument: 'after' });
        acknowledged.counters.set(name, Number(after?.['n']));
      }
      acknowledged.count += 1;
    }
  } catch {
    // The engine was killed under this write: it was never acknowledged.
  }
}

// An acknowledged write is lost when its document is missing or holds fewer updates (or a smaller counter) than were
// acknowledged; one more is fine (a write made but killed before its acknowledgement).
async function countLost(items: Collection<Document>, counters: Collection<Document>, acknowledged: Acknowledged): Promise<number> {
  const stored = new Map((await items.find().toArray()).map((document) => [String(document['_id']), Number(document['updates'])]));
  let lost = 0;
  for (const [id, updates] of acknowledged.updates) {
    const found = stored.get(id);
    if (found === undefined || found < updates) lost += 1 + updates;
  }
  const values = new Map((await counters.find().toArray()).map((document) => [String(document['_id']), Number(document['n'])]));
  for (const [name, n] of acknowledged.counters) if ((values.get(name) ?? 0) < n) lost += n - (values.get(name) ?? 0);
  return lost;
}

async function tornTails(directory: string): Promise<number> {
  let torn = 0;
  for (const name of await readdir(directory).catch(() => [])) {
    if (!name.startsWith('journal-')) continue;
    if (readJournal(await readFile(join(directory, name))).damage) torn += 1;
  }
  return torn;
}

/** A small seeded random generator, so that a failing run can be repeated with its seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
