import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Workspace packages resolve to their sources, so tests run without a prior build. */
const alias = [
  { find: /^@ai-chat\/protocol$/, replacement: source('./packages/protocol/src/index.ts') },
  { find: /^@ai-chat\/protocol\/error-status$/, replacement: source('./packages/protocol/src/error-status.ts') },
  { find: /^@ai-chat\/sdk\/protocol$/, replacement: source('./packages/sdk/src/protocol.ts') },
  { find: /^@ai-chat\/sdk$/, replacement: source('./packages/sdk/src/index.ts') },
  { find: /^@ai-chat\/mongo-memory$/, replacement: source('./packages/mongo-memory/src/index.ts') },
  { find: /^@ai-chat\/server$/, replacement: source('./packages/server/src/index.ts') },
  { find: /^@ai-chat\/testkit$/, replacement: source('./packages/testkit/src/index.ts') },
];

/** Unit tests (`*.unit.test.ts`): plain Node, no browser, no server, no database; `npm run test:unit`. */
const UNIT_TESTS = 'packages/*/src/**/*.unit.test.ts';

/**
 * One vitest run for the whole workspace. Workspace packages are aliased to their sources so tests run without a
 * prior build; the database every test uses is found once in `test/global-setup.ts` and printed.
 */
export default defineConfig({
  resolve: { alias },
  test: {
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 20_000,
    // `expect.poll` waits for a condition, never for a fixed time: on a loaded machine the default second is too short
    // (a page's first render took longer while both cores were busy), so a poll gives up only well before the test does.
    expect: { poll: { timeout: 15_000 } },
    // Progress as dots, then one short table per project and the failed tests by name (test/summary-reporter.ts).
    reporters: ['dot', './test/summary-reporter.ts'],
    // An unhandled rejection or error anywhere in a run fails it, even when every test passed (vitest's default;
    // kept explicit so it is never turned off: a stream that never ends showed up first as one).
    dangerouslyIgnoreUnhandledErrors: false,
    hookTimeout: 30_000,
    projects: [
      // The engine tests on its own (its own engine, or MONGODB_URI): see packages/mongo-memory/vitest.config.ts.
      'packages/mongo-memory',
      {
        extends: true,
        test: { name: 'sdk', environment: 'node', include: ['packages/sdk/src/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'server', environment: 'node', include: ['packages/server/src/**/*.test.ts', 'packages/testkit/src/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'widget',
          environment: 'node',
          include: ['packages/widget/src/**/*.test.ts'],
          exclude: [UNIT_TESTS],
          // A page load, a reply and a few clicks took over 20 s with both cores busy (stress-ng --cpu 2 on a shared
          // machine). Each wait fails on its own after 15 s (testkit's openPage), so this only bounds the whole test.
          testTimeout: 60_000,
        },
      },
      {
        // Not `extends: true`: no global setup (no database), only the aliases.
        resolve: { alias },
        test: { name: 'unit', environment: 'node', include: [UNIT_TESTS], testTimeout: 10_000 },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['e2e/**/*.test.ts', 'examples/**/*.test.ts'],
          testTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
