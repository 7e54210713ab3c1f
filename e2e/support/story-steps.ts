import { beforeEach } from 'vitest';

/**
 * Makes the tests of the calling `describe` one story: once a step fails, the later steps are skipped instead of
 * failing on the state it left behind, so the report names the step that broke.
 */
export function runAsStory(): void {
  let hasFailed = false;
  beforeEach(({ skip, onTestFailed }) => {
    if (hasFailed) skip('an earlier step of the story failed');
    onTestFailed(({ task }) => {
      // A step marked `.fails` (a known bug) fails on purpose; the story goes on.
      if (!task.fails) hasFailed = true;
    });
  });
}
