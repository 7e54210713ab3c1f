import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

/**
 * A connection string for a database of the calling test's own on the run's MongoDB (see `global-setup.ts`), so
 * test files never see each other's data, on the in-process engine and on a real MongoDB alike.
 */
export function testDatabaseUri(label = 'test'): string {
  const url = new URL(inject('mongoUri'));
  url.pathname = `/${label.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  return url.toString();
}
