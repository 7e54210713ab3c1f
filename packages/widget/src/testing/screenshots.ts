import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';

const FOLDER = fileURLToPath(new URL('../../../../docs/screenshots/', import.meta.url));

/**
 * Saves a screenshot for the README into docs/screenshots/<name>.png, only when `UPDATE_SCREENSHOTS=1` is set
 * (`UPDATE_SCREENSHOTS=1 npx vitest run --project widget packages/widget/src/ai-chat-reply-tools.test.ts`): a test
 * run never rewrites tracked files otherwise.
 */
export async function saveScreenshot(target: Page | Locator, name: string): Promise<void> {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  await mkdir(FOLDER, { recursive: true });
  await target.screenshot({ path: `${FOLDER}${name}.png` });
}
