import type { MongoClient } from 'mongodb';

/** Driver options for a client of an engine that a test kills: the driver checks the server every half second. */
export const KILLED_SERVER_OPTIONS = { heartbeatFrequencyMS: 500 } as const;

/**
 * Resolves once `client` has seen its server go away (the server's description turned `Unknown`). Call it before
 * killing the engine, and await it before `client.close()`: a close that starts while the driver still takes the
 * killed server for alive sends `endSessions` on a connection to the dead process, and under load that close was seen
 * to wait forever (a checked-out connection, the server `Unknown` by then).
 */
export function serverGone(client: MongoClient): Promise<void> {
  return new Promise((resolve) => {
    const listener = (event: { newDescription: { type: string } }) => {
      if (event.newDescription.type !== 'Unknown') return;
      client.off('serverDescriptionChanged', listener);
      resolve();
    };
    client.on('serverDescriptionChanged', listener);
  });
}
