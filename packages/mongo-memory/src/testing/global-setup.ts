import type { TestProject } from 'vitest/node';
import { startMongoMemory } from '../start-mongo-memory.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The server the engine's conformance tests run against: the engine itself, or the MongoDB of `MONGODB_URI`. */
    engineTestUri: string;
  }
}

/**
 * Starts one engine for the package's test run (memory only), or uses the real MongoDB named by `MONGODB_URI`, so the
 * same conformance scenarios check the engine against MongoDB. The package needs nothing else from the repository.
 */
export default async function setup(project: TestProject) {
  const external = process.env.MONGODB_URI;
  if (external) {
    console.log('[mongo-memory tests] against the MongoDB of MONGODB_URI');
    project.provide('engineTestUri', external);
    return;
  }
  const server = await startMongoMemory();
  project.provide('engineTestUri', server.uri);
  return () => server.stop();
}
