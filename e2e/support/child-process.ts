import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';

/** A program started the way a user starts it, with everything it printed so far. */
export interface RunningProcess {
  child: ChildProcessWithoutNullStreams;
  /** Everything written to stdout and stderr, interleaved, so far. */
  output(): string;
  /** Waits until the output matches `pattern` (searching only what arrived after `fromIndex`) and returns the match. */
  waitForOutput(pattern: RegExp, options?: { timeoutMs?: number; fromIndex?: number }): Promise<RegExpExecArray>;
  /** Sends SIGTERM (SIGKILL after 5 s) and waits for the exit; returns the exit code or signal. */
  stop(): Promise<number | string | null>;
}

/** Options of {@link startProcess}. */
export interface StartProcessOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/** Starts `command args` with piped stdio; the test reads its output and, for interactive programs, writes stdin. */
export function startProcess(command: string, args: string[], options: StartProcessOptions = {}): RunningProcess {
  const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: 'pipe' });
  let output = '';
  const waiters = new Set<() => void>();
  const append = (chunk: Buffer) => {
    // Tools colour their output when CI is set (Vite's picocolors does): tests match the text, not the colours.
    output += chunk.toString('utf8').replace(/\x1b\[[0-9;]*m/g, '');
    for (const wake of waiters) wake();
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string | null);

  function waitForOutput(pattern: RegExp, { timeoutMs = 15_000, fromIndex = 0 } = {}): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(output.slice(fromIndex));
        if (match) return finish(() => resolve(match));
        if (child.exitCode !== null) return finish(() => reject(new Error(`${command} exited (${child.exitCode}) before printing ${pattern}:\n${output}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`${command} did not print ${pattern} within ${timeoutMs} ms:\n${output}`))), timeoutMs);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        child.off('exit', check);
        settle();
      };
      waiters.add(check);
      child.on('exit', check);
      check();
    });
  }

  async function stop() {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited.finally(() => clearTimeout(killer));
    }
    return exited;
  }

  return { child, output: () => output, waitForOutput, stop };
}
