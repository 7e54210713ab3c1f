import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { assertBuilt, REPO_ROOT } from './support/chat-server.js';
import { startProcess } from './support/child-process.js';

// The examples are plain JavaScript a host developer can copy, checked with `// @ts-check` against the published
// types of @ai-chat/sdk and @ai-chat/server (their dist .d.ts), so an API change that breaks them fails here.
describe('the examples', () => {
  it('typecheck against the packages\' public types', async () => {
    assertBuilt();
    const tsc = startProcess(process.execPath, [`${REPO_ROOT}node_modules/typescript/bin/tsc`, '-p', 'examples/tsconfig.json'], { cwd: REPO_ROOT });
    const [code] = await once(tsc.child, 'exit');
    expect(tsc.output()).toBe('');
    expect(code).toBe(0);
  });
});
