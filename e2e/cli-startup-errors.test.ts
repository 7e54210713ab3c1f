import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startChatServer, startChatServerProcess } from './support/chat-server.js';

/** What a person starting the server sees when it cannot start: one line that says what to do, never a stack. */
describe('the CLI when it cannot start', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    // In reverse order, one after another: a server is stopped before its data folder is removed
    // (removing it while the server still writes its journal fails with ENOTEMPTY).
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function exitOf(env: Record<string, string | undefined>) {
    const cli = startChatServerProcess(env);
    const [code] = await once(cli.child, 'exit');
    const lines = cli.output().trim().split('\n');
    return { code, lines, output: cli.output() };
  }

  it('says in one line that the port is in use', async () => {
    const blocker: Server = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)));
    const port = (blocker.address() as { port: number }).port;
    const { code, lines, output } = await exitOf({ PORT: String(port) });
    expect(code).toBe(1);
    expect(lines.filter((line) => line.startsWith('ai-chat-server:'))).toEqual([`ai-chat-server: port ${port} is in use on 127.0.0.1 (another server?): stop it, or set PORT to another port`]);
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('says in one line that the data folder is held by another server', async () => {
    const dataDirectory = await mkdtemp(join(tmpdir(), 'ai-chat-locked-'));
    cleanups.push(() => rm(dataDirectory, { recursive: true, force: true }));
    const first = await startChatServer({ MONGODB_URI: undefined, DATA_DIR: dataDirectory });
    cleanups.push(() => first.stop());
    const { code, lines, output } = await exitOf({ MONGODB_URI: undefined, DATA_DIR: dataDirectory });
    expect(code).toBe(1);
    const message = lines.filter((line) => line.startsWith('ai-chat-server:'));
    expect(message).toEqual([expect.stringMatching(/^ai-chat-server: the data folder .* is in use by another ai-chat server \(process \d+\): stop it, or set DATA_DIR to another folder$/)]);
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('names the wrong setting in its message', async () => {
    const { code, output } = await exitOf({ PORT: 'eighty' });
    expect(code).toBe(78);
    expect(output).toMatch(/^ai-chat-server: Invalid configuration:\n\s+PORT: /m);
    expect(output).not.toMatch(/\n\s+at /);
  });
});
