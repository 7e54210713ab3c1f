import { beforeEach } from 'vitest';
import type { RunningProcess } from './child-process.js';

const LOG_TAIL = 4000;

/**
 * Makes the tests of the calling `describe` one story: once a step fails, the later steps are skipped instead of
 * failing on the state it left behind, so the report names the step that broke. On that first failure it prints the
 * end of what the story's programs (servers, examples) wrote, since their logs usually say why.
 */
export function runAsStory(programs: () => Record<string, RunningProcess | undefined> = () => ({})): void {
  let hasFailed = false;
  beforeEach(({ skip, onTestFailed }) => {
    if (hasFailed) skip('an earlier step of the story failed');
    onTestFailed(({ task }) => {
      // A step marked `.fails` (a known bug) fails on purpose; the story goes on.
      if (task.fails) return;
      hasFailed = true;
      for (const [name, program] of Object.entries(programs())) {
        if (program) console.error(`--- output of ${name} (last ${LOG_TAIL} characters) ---\n${program.output().slice(-LOG_TAIL)}`);
      }
    });
  });
}
