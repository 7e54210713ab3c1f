import { open, readFile, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';

const LOCK_FILE = 'mongo-memory.lock';
// Folders locked by engines of this process: a lock file with this process's pid that is not in here was left by an
// earlier process that had the same pid (common in containers, where the server is often pid 1).
const lockedHere = new Set<string>();

/** A persistence folder is held by another running engine (another server on the same data folder). */
export class DirectoryInUseError extends Error {
  override name = 'DirectoryInUseError';

  constructor(
    /** The folder asked for. */
    readonly directory: string,
    /** The process that holds it. */
    readonly ownerPid: number,
  ) {
    super(`@ai-chat/mongo-memory: ${directory} is in use by process ${ownerPid}; one engine per folder`);
  }
}

/**
 * Claims a persistence folder for this process, so that two engines never overwrite each other's files: a lock
 * file holds the owner's pid, and a lock whose process is gone (a crash) is taken over. Returns its release.
 */
export async function lockDirectory(directory: string): Promise<() => Promise<void>> {
  const path = resolve(directory, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const handle = await open(path, 'wx').catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
      return undefined;
    });
    if (handle) {
      lockedHere.add(path);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        lockedHere.delete(path);
        await unlink(path).catch(() => undefined);
      };
    }
    const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (owner === process.pid ? lockedHere.has(path) : isRunning(owner)) {
      throw new DirectoryInUseError(directory, owner);
    }
    await unlink(path).catch(() => undefined);
  }
  throw new Error(`@ai-chat/mongo-memory: could not lock ${directory} (${path})`);
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
