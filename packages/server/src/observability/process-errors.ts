import type { Logger } from 'pino';

/**
 * Logs a promise rejection nobody handled instead of letting Node end the process (its default): one stray
 * rejection must not cut every open stream of every visitor, and a reply's state is in the database anyway. The
 * server's own code handles every failure it expects, so each such line is a bug to fix. Uncaught exceptions still
 * end the process. Returns the function that removes the handler.
 */
export function logUnhandledRejections(logger: Logger, target: NodeJS.EventEmitter = process): () => void {
  const log = (reason: unknown) => logger.error({ err: reason }, 'unhandled promise rejection (a bug; the server keeps running)');
  target.on('unhandledRejection', log);
  return () => target.off('unhandledRejection', log);
}
