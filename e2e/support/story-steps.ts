import { beforeEach } from 'vitest';

/**
 * Makes the tests of the calling `describe` one story: once a step fails, the later steps are skipped instead of
 * failing on the state it left behind, so the report names the step that broke.
 */
export function runAsStory(): void {
  let hasFailed = false;
  beforeEach(({ skip, onTestFailed }) => {
    if (hasFailed) skip('an earlier step of the story failed');
    onTestFailed(() => {
      hasFailed = true;
    });
  });
}
