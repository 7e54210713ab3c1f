import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../packages/server/src/testing/start-test-server.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./chat.mjs', import.meta.url));
const sdkBuild = fileURLToPath(new URL('../../packages/sdk/dist/index.js', import.meta.url));
const hasBuild = existsSync(sdkBuild);
if (!hasBuild) console.warn('[examples/sdk-node] @ai-chat/sdk is not built: run `npm run build` (npm test builds first).');

describe.skipIf(!hasBuild)('examples/sdk-node', () => {
  let server: TestServer;
  const tokenFile = join(mkdtempSync(join(tmpdir(), 'ai-chat-example-')), 'visitor.json');
  const chat = (...args: string[]) =>
    run(process.execPath, [script, ...args], { env: { ...process.env, AI_CHAT_URL: server.url, AI_CHAT_TOKEN_FILE: tokenFile } });

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('streams a reply into the terminal and finds the conversation again on the next run', async () => {
    const first = await chat('Hello from the terminal');
    expect(first.stdout.trim().length).toBeGreaterThan(20);
    expect(JSON.parse(readFileSync(tokenFile, 'utf8'))).toEqual({ [`ai-chat:token:${server.url}`]: expect.any(String) });

    await chat('And a follow-up');
    const listed = await chat('--list');
    const lines = listed.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('4 msgs');
    expect(lines[0]).toContain('Hello from the terminal');
  });

  it('explains an unreachable server in one line and exits with 1', async () => {
    const failed = await run(process.execPath, [script, '--list'], {
      env: { ...process.env, AI_CHAT_URL: 'http://127.0.0.1:9', AI_CHAT_TOKEN_FILE: tokenFile },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr.trim()).toBe('APIConnectionError: Connection error.');
  });
});
