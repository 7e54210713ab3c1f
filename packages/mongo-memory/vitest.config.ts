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
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
