import type { TestProject } from 'vitest/node';
import { findDatabase, type FoundDatabase } from '../packages/server/src/database/find-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The MongoDB every test connects to; each test file uses databases of its own on it. */
    mongoUri: string;
    /** Which kind of database it is: `external` (MONGODB_URI), `mongod` or `in-memory`. */
    mongoKind: string;
  }
}

/**
 * Finds the database once for the whole run, as the server does (`MONGODB_URI`, else `EMBEDDED_DATABASE`: the
 * in-process engine on its private Unix domain socket by default), and says which one it is.
 */
export default async function setup(project: TestProject) {
  // The unit project needs no database (plain Node, fakes only): a run of it alone (`npm run test:unit`) must not
  // wait for one. The root runs this setup too (name ""), so look at the projects of the run.
  const names = project.vitest.projects.map((each) => each.name);
  if (project.name === 'unit' || names.every((name) => name === 'unit')) return;
  // Vitest runs the global setup once per project; every project shares the one database found first.
  const shared = globalThis as { aiChatTestDatabase?: Promise<FoundDatabase> };
  const isFirst = !shared.aiChatTestDatabase;
  const embedded = process.env.EMBEDDED_DATABASE === 'mongod' ? 'mongod' : 'engine';
  shared.aiChatTestDatabase ??= findDatabase({ uri: process.env.MONGODB_URI, embedded, onProgress: (line) => console.log(`[tests] ${line}`) });
  const database = await shared.aiChatTestDatabase;
  if (isFirst && database.fallback) console.warn(`[tests] ${database.fallback}`);
  if (isFirst) console.log(`[tests] database: ${database.description}`);
  project.provide('mongoUri', database.uri);
  project.provide('mongoKind', database.kind);
  return async () => {
    if (!isFirst) return;
    delete shared.aiChatTestDatabase;
    await database.stop();
  };
}
