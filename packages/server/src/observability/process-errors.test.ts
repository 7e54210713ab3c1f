import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../../dist/observability/', import.meta.url));

/** Runs a Node process that rejects a promise nobody handles, with or without the server's handler installed. */
async function runRejectingProcess(withHandler: boolean): Promise<{ code: number; stdout: string; stderr: string }> {
  await access(`${dist}process-errors.js`).catch(() => {
    throw new Error('packages/server/dist is missing: run `npm run build` first');
  });
  const script = `
    import { createLogger } from ${JSON.stringify(`${dist}logger.js`)};
    import { logUnhandledRejections } from ${JSON.stringify(`${dist}process-errors.js`)};
    if (${withHandler}) logUnhandledRejections(createLogger({ level: 'info' }));
    Promise.reject(new Error('deliberate rejection'));
    setImmediate(() => setImmediate(() => console.log('still serving')));
  `;
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--input-type=module', '--eval', script]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('logUnhandledRejections', () => {
  it('keeps the process running and logs the rejection as an error line', async () => {
    const run = await runRejectingProcess(true);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('still serving');
    const line = JSON.parse(run.stdout.split('\n').find((text) => text.includes('unhandled promise rejection'))!);
    expect(line).toMatchObject({ level: 50, err: { message: 'deliberate rejection' } });
  });

  it("is needed: without it, Node's default ends the process", async () => {
    const run = await runRejectingProcess(false);
    expect(run.code).not.toBe(0);
    expect(run.stdout).not.toContain('still serving');
    expect(run.stderr).toContain('deliberate rejection');
  });
});
