/**
 * For tests and offline development only: an in-process server that speaks MongoDB's wire protocol.
 * @module
 */

/** Options of {@link startMongoMemory}. */
export interface MongoMemoryOptions {
  /** TCP port on 127.0.0.1; 0 or absent picks a free one. */
  port?: number;
}

/** A running in-process server. */
export interface MongoMemoryServer {
  /** A `mongodb://` connection string for the server. */
  readonly uri: string;
  /** Closes every connection and the listening socket. */
  stop(): Promise<void>;
}

/** Starts an in-process MongoDB wire-protocol server on 127.0.0.1. */
export async function startMongoMemory(_options: MongoMemoryOptions = {}): Promise<MongoMemoryServer> {
  throw new Error('not implemented yet');
}
