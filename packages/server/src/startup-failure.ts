import { DirectoryInUseError } from '@ai-chat/mongo-memory';
import { ConfigurationError } from './config.js';

/** The server could not listen where it was told to (the port is taken, or not allowed). */
export class ListenError extends Error {
  override name = 'ListenError';

  constructor(
    readonly host: string,
    readonly port: number,
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`cannot listen on ${host}:${port} (${code ?? 'unknown error'})`, options);
  }
}

/**
 * One line that tells a person starting the server what went wrong and what to do, for the failures people meet
 * (a wrong setting, a port in use, a data folder held by another server); `undefined` for anything unexpected,
 * which deserves its whole stack.
 */
export function describeStartupFailure(error: unknown): string | undefined {
  if (error instanceof ConfigurationError) return error.message;
  if (error instanceof ListenError) {
    if (error.code === 'EADDRINUSE') return `port ${error.port} is in use on ${error.host} (another server?): stop it, or set PORT to another port`;
    if (error.code === 'EACCES') return `not allowed to listen on port ${error.port}: use a port above 1023, or set PORT`;
    if (error.code === 'EADDRNOTAVAIL') return `${error.host} is not an address of this machine: set HOST (e.g. 0.0.0.0 or 127.0.0.1)`;
    return error.message;
  }
  if (error instanceof DirectoryInUseError) {
    return `the data folder ${error.directory} is in use by another ai-chat server (process ${error.ownerPid}): stop it, or set DATA_DIR to another folder`;
  }
  return undefined;
}
