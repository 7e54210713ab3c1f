import { isPlainObject, type StoredDocument } from '../bson-values.js';
import { CommandError, notSupported } from '../command-error.js';
import type { Engine } from '../engine.js';
import { aggregate } from './aggregate-command.js';
import { collectionCommands } from './collection-commands.js';
import type { CommandHandler } from './command-context.js';
import { createExplain } from './explain-command.js';
import { findAndModify } from './find-and-modify.js';
import { findCommands } from './find-commands.js';
import { handshakeCommands } from './handshake-commands.js';
import { indexCommands } from './index-commands.js';
import { transactionCommands } from './transaction-commands.js';
import { writeCommands } from './write-commands.js';

const HANDLERS = new Map<string, CommandHandler>(
  Object.entries({
    ...handshakeCommands,
    ...collectionCommands,
    ...indexCommands,
    ...findCommands,
    ...writeCommands,
    ...transactionCommands,
    aggregate,
    findAndModify,
    findandmodify: findAndModify,
    explain: createExplain((context, command) => runCommand(context.engine, command, context.connectionId)),
  }),
);

// Commands that never run inside the session's transaction: session management, and collection and index
// definitions, which take effect on the live data at once (a transaction replays only document writes).
const OUTSIDE_TRANSACTIONS = new Set([
  'commitTransaction',
  'abortTransaction',
  'endSessions',
  'hello',
  'isMaster',
  'ismaster',
  'ping',
  'create',
  'createIndexes',
  'dropIndexes',
  'deleteIndexes',
  'collMod',
]);

/**
 * Runs one command document and returns its reply, always with `ok`. Failures never escape: they become MongoDB's
 * `{ ok: 0, code, codeName, errmsg }`, and a failure inside a transaction aborts it, as MongoDB does.
 */
export function runCommand(engine: Engine, command: StoredDocument, connectionId: number): StoredDocument {
  const name = Object.keys(command)[0] ?? '';
  try {
    const handler = HANDLERS.get(name);
    if (!handler) throw new CommandError(59, 'CommandNotFound', `no such command: '${name}'`);
    // `let` variables would be undefined in every `$$name` the command uses: refused rather than ignored.
    if (isPlainObject(command['let']) && Object.keys(command['let']).length > 0) throw notSupported('let variables');
    const database = typeof command['$db'] === 'string' ? command['$db'] : 'admin';
    const store = OUTSIDE_TRANSACTIONS.has(name) ? engine.store : engine.transactions.storeFor(command);
    const reply = handler({ command, database, store, engine, connectionId });
    if (Array.isArray(reply['writeErrors']) && command['autocommit'] === false) engine.transactions.abortAfterFailure(command);
    return { ...reply, ok: 1 };
  } catch (error) {
    if (command['autocommit'] === false && !OUTSIDE_TRANSACTIONS.has(name)) engine.transactions.abortAfterFailure(command);
    return failureReply(error);
  }
}

/**
 * Runs a command as {@link runCommand}, and when it changed data that the engine journals, answers only once those
 * changes are on disk (a promise then), as MongoDB's journaled writes do. When the journal cannot be written, the
 * reply carries a `writeConcernError` (the change was made in memory, but is not durable).
 */
export function runAcknowledged(engine: Engine, command: StoredDocument, connectionId: number): StoredDocument | Promise<StoredDocument> {
  const durability = engine.durability;
  const before = durability?.recorded;
  const reply = runCommand(engine, command, connectionId);
  if (!durability || durability.recorded === before) return reply;
  return durability.durable().then(
    () => reply,
    (error: unknown) => ({
      ...reply,
      writeConcernError: { code: 100, codeName: 'UnsatisfiableWriteConcern', errmsg: `the journal could not be written: ${error instanceof Error ? error.message : String(error)}` },
    }),
  );
}

function failureReply(error: unknown): StoredDocument {
  if (error instanceof CommandError) return error.toReply();
  // mingo reports bad queries, updates and pipelines (unknown operators, wrong argument types) as MingoError.
  if (error instanceof Error && error.constructor.name === 'MingoError') {
    return { ok: 0, errmsg: error.message, code: 2, codeName: 'BadValue' };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { ok: 0, errmsg: `internal error in @ai-chat/mongo-memory: ${message}`, code: 1, codeName: 'InternalError' };
}

/** True for a command document (a non-empty plain object), as every OP_MSG body and OP_QUERY on `$cmd` must be. */
export function isCommandDocument(value: unknown): value is StoredDocument {
  return isPlainObject(value) && Object.keys(value).length > 0;
}
