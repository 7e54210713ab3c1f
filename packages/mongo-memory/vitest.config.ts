import { defineConfig } from 'vitest/config';

/**
 * The engine's own test run: `npx vitest run` in this folder, or as one project of the repository's run. It starts
 * its own engine (or uses `MONGODB_URI`), so the package tests with nothing else from the repository.
 */
export default defineConfig({
  test: {
    name: 'mongo-memory',
    environment: 'node',
    include: ['src/**/*.test.ts'],
    globalSetup: ['src/testing/global-setup.ts'],
    // A bound on the whole test, not a measurement: with both cores busy (stress-ng --cpu 2 next to the browser tests)
    // a test that starts an engine in a child process, kills it and starts another one took over 20 s.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
