import type { Reporter, TestModule } from 'vitest/node';

interface Tally {
  files: number;
  passed: number;
  failed: number;
  skipped: number;
  durationMs: number;
}

/**
 * Ends `npm test` with one short table: per project, how many files and tests passed, failed or were skipped, and how
 * long its files took in all, then the failed tests by name. The detail of each failure stays in the reporter before it.
 */
export default class SummaryReporter implements Reporter {
  #startedAt = Date.now();

  onTestRunStart(): void {
    this.#startedAt = Date.now();
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>, reason: string): void {
    const tallies = new Map<string, Tally>();
    const failures: string[] = [];
    for (const module of testModules) {
      const name = module.project.name || 'root';
      const tally = tallies.get(name) ?? { files: 0, passed: 0, failed: 0, skipped: 0, durationMs: 0 };
      tallies.set(name, tally);
      tally.files += 1;
      tally.durationMs += module.diagnostic().duration;
      if (module.state() === 'failed' && module.children.size === 0) failures.push(`${name} › ${module.relativeModuleId} (did not load)`);
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') tally.passed += 1;
        else if (state === 'failed') {
          tally.failed += 1;
          failures.push(`${name} › ${module.relativeModuleId} › ${test.fullName}`);
        } else tally.skipped += 1;
      }
    }
    const rows = [...tallies.entries()].sort(([a], [b]) => a.localeCompare(b));
    const total = rows.reduce(
      (sum, [, t]) => ({ files: sum.files + t.files, passed: sum.passed + t.passed, failed: sum.failed + t.failed, skipped: sum.skipped + t.skipped }),
      { files: 0, passed: 0, failed: 0, skipped: 0 },
    );
    const line = (cells: Array<string | number>) => cells.map((cell, i) => (i === 0 ? String(cell).padEnd(14) : String(cell).padStart(8))).join(' ');
    const out = ['', 'Summary', line(['project', 'files', 'passed', 'failed', 'skipped', 'seconds'])];
    for (const [name, t] of rows) out.push(line([name, t.files, t.passed, t.failed, t.skipped, (t.durationMs / 1000).toFixed(1)]));
    out.push(line(['all', total.files, total.passed, total.failed, total.skipped, ((Date.now() - this.#startedAt) / 1000).toFixed(1)]));
    if (unhandledErrors.length > 0) out.push(`${unhandledErrors.length} unhandled error(s): the run fails even if every test passed`);
    for (const failure of failures) out.push(`FAILED ${failure}`);
    out.push(`Result: ${reason === 'passed' ? 'passed' : reason}`, '');
    process.stdout.write(`${out.join('\n')}\n`);
  }
}
