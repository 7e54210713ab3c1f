import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { testDatabaseUri } from '@ai-chat/testkit';
import { startProcess, type RunningProcess } from './child-process.js';

/** The repository's root folder. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const CLI = fileURLToPath(new URL('../../packages/server/dist/cli.js', import.meta.url));
const WIDGET_BUNDLE = fileURLToPath(new URL('../../packages/widget/dist/ai-chat.js', import.meta.url));

/** A chat server started with the `ai-chat-server` CLI, as the README tells users to start it. */
export interface ChatServerProcess extends RunningProcess {
  /** The URL the CLI printed, e.g. `http://127.0.0.1:41234`. */
  url: string;
}

/** Fails with what to do when the build the end-to-end tests run against is missing. */
export function assertBuilt(): void {
  for (const file of [CLI, WIDGET_BUNDLE]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` before the end-to-end tests.`);
  }
}

/** Starts the CLI as {@link startChatServer} does, without waiting for it to be ready (or to fail). */
export function startChatServerProcess(env: Record<string, string | undefined> = {}): RunningProcess {
  assertBuilt();
  return startProcess(process.execPath, [CLI], {
    cwd: REPO_ROOT,
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      AI_CHAT_DEMO_DELAY_MS: '5',
      MONGODB_URI: testDatabaseUri('e2e'),
      ...env,
    },
  });
}

/**
 * Starts `node packages/server/dist/cli.js` on a free port of 127.0.0.1, on a database of its own on the test run's
 * MongoDB (never one it starts itself), with the demo model answering fast. `env` adds or overrides variables.
 */
export async function startChatServer(env: Record<string, string | undefined> = {}): Promise<ChatServerProcess> {
  const server = startChatServerProcess(env);
  try {
    const [, url] = await server.waitForOutput(/ai-chat is running at (http:\/\/\S+)/, { timeoutMs: 30_000 });
    return { ...server, url: url! };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
