import { once } from 'node:events';
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startChatServer, type ChatServerProcess } from './support/chat-server.js';
import { startProcess, type RunningProcess } from './support/child-process.js';
import { runAsStory } from './support/story-steps.js';

// examples/sdk-node driven as a user drives it, over stdin and stdout, against the CLI server; run twice with the
// same token file, as two sittings at the terminal.
const SESSION_PROMPT = /Session number to resume, or a model id \(Enter: default\) for a new session: $/;
const MESSAGE_PROMPT = /you> $/;

describe('examples/sdk-node: a terminal chat with the SDK', () => {
  runAsStory(() => ({ 'chat server': server, terminal }));
  let server: ChatServerProcess;
  let folder: string;
  let terminal: RunningProcess | undefined;

  beforeAll(async () => {
    server = await startChatServer();
    folder = await mkdtemp(join(tmpdir(), 'ai-chat-sdk-node-'));
  });

  afterAll(async () => {
    await terminal?.stop();
    await server?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  const tokenFile = () => join(folder, 'token.json');

  function startTerminal(): RunningProcess {
    return startProcess(process.execPath, ['chat.js'], {
      cwd: `${REPO_ROOT}examples/sdk-node`,
      env: { AI_CHAT_SERVER: server.url, AI_CHAT_TOKEN_FILE: tokenFile() },
    });
  }

  /** Types a line and returns what the program printed until it asked for the next one, and in how many writes. */
  async function type(line: string, until: RegExp = MESSAGE_PROMPT): Promise<{ printed: string; writes: number }> {
    const running = terminal!;
    const from = running.output().length;
    let writes = 0;
    const count = () => writes++;
    running.child.stdout.on('data', count);
    running.child.stdin.write(`${line}\n`);
    try {
      await running.waitForOutput(until, { fromIndex: from, timeoutMs: 20_000 });
    } finally {
      running.child.stdout.off('data', count);
    }
    return { printed: running.output().slice(from), writes };
  }

  async function quit(): Promise<void> {
    const exited = once(terminal!.child, 'exit');
    await type('/quit', /Bye\.\n$/);
    expect((await exited)[0]).toBe(0);
    terminal = undefined;
  }

  it('starts with no sessions, opens one, and streams the reply as it is written', async () => {
    terminal = startTerminal();
    await terminal.waitForOutput(SESSION_PROMPT);
    expect(terminal.output()).toContain('No sessions yet.');
    expect(terminal.output()).toContain('Models: demo (default)');

    const opened = await type('');
    expect(opened.printed).toContain('New session with demo.');

    const reply = await type('Hello from a terminal');
    expect(reply.printed).toMatch(/^assistant> \*\*Hello! I am the offline demo model\.\*\*/);
    expect(reply.printed).toContain('> Hello from a terminal');
    // Printed over many writes as the deltas arrived, not once at the end.
    expect(reply.writes).toBeGreaterThanOrEqual(5);
    await quit();
  });

  it('keeps the visitor in a file only its owner can read', () => {
    expect(statSync(tokenFile()).mode & 0o777).toBe(0o600);
  });

  it('lists the session on the next run and resumes it with its history', async () => {
    terminal = startTerminal();
    await terminal.waitForOutput(SESSION_PROMPT);
    expect(terminal.output()).toMatch(/1\. Hello from a terminal · demo · 2 messages · /);
    expect(terminal.output()).toContain('assistant: Hello! I am the offline demo model.');

    const resumed = await type('1');
    expect(resumed.printed).toContain('you> Hello from a terminal');
    expect(resumed.printed).toContain('assistant> **Hello! I am the offline demo model.**');
    expect(resumed.printed).toContain('Resumed.');

    const reply = await type('How many words does this question have?');
    expect(reply.printed).toContain('> How many words does this question have?');
    expect(reply.printed).toContain('It has **7** words');
    expect(reply.printed).toContain('This conversation now holds');
  });

  it('lists the session with its new count after the conversation went on', async () => {
    const listed = await type('/sessions', SESSION_PROMPT);
    expect(listed.printed).toMatch(/1\. Hello from a terminal · demo · 4 messages · /);
    expect(listed.printed).toContain('assistant: You wrote:');
    await type('1');
  });

  it('stops the reply on the server when Ctrl+C is pressed while it streams', async () => {
    const running = terminal!;
    const from = running.output().length;
    running.child.stdin.write('Tell me everything about bicycles\n');
    await running.waitForOutput(/assistant> You wrote/, { fromIndex: from });
    running.child.kill('SIGINT');
    await running.waitForOutput(/\[stopped\]\n\nyou> $/, { fromIndex: from });
    expect(running.child.exitCode).toBeNull();
    const listed = await type('/sessions', SESSION_PROMPT);
    expect(listed.printed).toMatch(/1\. Hello from a terminal · demo · 6 messages · /);
    await type('1');
    await quit();
  });

  it('explains an unreachable server and exits with 1', async () => {
    const unreachable = startProcess(process.execPath, ['chat.js'], {
      cwd: `${REPO_ROOT}examples/sdk-node`,
      env: { AI_CHAT_SERVER: 'http://127.0.0.1:9', AI_CHAT_TOKEN_FILE: join(folder, 'other.json') },
    });
    const [code] = await once(unreachable.child, 'exit');
    expect(code).toBe(1);
    expect(unreachable.output()).toContain('ai-chat terminal: Connection error.');
    expect(unreachable.output()).toContain('Is the server running at http://127.0.0.1:9?');
  });
});
