import mongoose, { type Connection } from 'mongoose';
import type { Logger } from 'pino';
import { createModels, ensureIndexes, type Models } from '../models/index.js';
import { findDatabase, type EmbeddedDatabase, type FoundDatabase } from './find-database.js';

/** An open database: the mongoose connection, the server's models on it, and how to close both. */
export interface Database {
  connection: Connection;
  models: Models;
  /** Which database was found (external, embedded mongod or the in-memory engine). */
  found: Pick<FoundDatabase, 'kind' | 'description'>;
  close(): Promise<void>;
}

/** Options of {@link connectDatabase}. */
export interface ConnectDatabaseOptions {
  /** `MONGODB_URI`; without it an embedded database is started. */
  uri?: string | undefined;
  /** `EMBEDDED_DATABASE`: without `uri`, the in-process engine (`engine`, the default) or a real `mongod`. */
  embedded?: EmbeddedDatabase | undefined;
  /** Where the embedded database (a `mongod`, or the in-process engine under `mongo-memory/`) keeps its data. */
  dataDirectory?: string | undefined;
  logger?: Pick<Logger, 'info' | 'warn'>;
  /** How long to wait for a server to answer before failing a query (default 10 s). */
  serverSelectionTimeoutMS?: number;
  /** Emit the driver's command monitoring events on the client (`commandStarted`, …), e.g. to count round trips. */
  monitorCommands?: boolean;
}

/**
 * Finds the database (`MONGODB_URI`, else what `embedded` says: the in-process engine by default, or a `mongod` that
 * falls back to the engine), connects mongoose to it, registers the models and builds their indexes, and logs which
 * database it uses (and, on a fallback, one line that says why).
 */
export async function connectDatabase(options: ConnectDatabaseOptions = {}): Promise<Database> {
  const found = await findDatabase({
    uri: options.uri,
    embedded: options.embedded,
    dataDirectory: options.dataDirectory,
    onProgress: (line) => options.logger?.info(line),
  });
  if (found.fallback) options.logger?.warn(found.fallback);
  if (found.kind === 'in-memory') {
    options.logger?.warn(`database: ${found.description}`);
  } else {
    options.logger?.info(`database: ${found.description}`);
  }
  try {
    const database = await openDatabase(found.uri, options);
    return {
      ...database,
      found,
      close: async () => {
        await database.close();
        await found.stop();
      },
    };
  } catch (error) {
    await found.stop();
    throw error;
  }
}

/** Connects to a MongoDB by URI (no discovery), registers the models and builds their indexes. */
export async function openDatabase(
  uri: string,
  options: Pick<ConnectDatabaseOptions, 'serverSelectionTimeoutMS' | 'monitorCommands'> = {},
): Promise<Omit<Database, 'found'>> {
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
    autoIndex: false,
    monitorCommands: options.monitorCommands ?? false,
  });
  await connection.asPromise();
  const models = createModels(connection);
  await ensureIndexes(models);
  return { connection, models, close: () => connection.close() };
}
