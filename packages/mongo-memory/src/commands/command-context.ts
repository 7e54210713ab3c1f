import type { StoredDocument } from '../bson-values.js';
import { resolveCollation, type Collation } from '../query/collation.js';
import { parseHint, type Hint } from '../query/hint.js';
import { badValue } from '../command-error.js';
import type { Engine } from '../engine.js';
import type { Collection } from '../storage/collection.js';
import type { Store } from '../storage/store.js';

/** What a command handler gets: the command document, its database, and where to read and write. */
export interface CommandContext {
  /** The command document, with any OP_MSG document sequences merged in as arrays. */
  readonly command: StoredDocument;
  /** The command's `$db`. */
  readonly database: string;
  /** The data the command sees: a transaction's snapshot inside one, otherwise the engine's. */
  readonly store: Store;
  readonly engine: Engine;
  readonly connectionId: number;
}

/** A command handler: returns the reply document (without `ok`, which the dispatcher adds). */
export type CommandHandler = (context: CommandContext) => StoredDocument;

/** The collection name a command names in its first field (`{ find: 'users' }`). */
export function collectionNameOf(context: CommandContext): string {
  const [name] = Object.keys(context.command);
  const value = name === undefined ? undefined : context.command[name];
  if (typeof value !== 'string' || value.length === 0) throw badValue(`collection name must be a non-empty string`);
  return value;
}

/** The collection a command reads, or `undefined` when it does not exist (reads of it find nothing). */
export function readCollection(context: CommandContext): Collection | undefined {
  return context.store.collection(context.database, collectionNameOf(context));
}

/** The collection a command writes, created when missing. */
export function writeCollection(context: CommandContext): Collection {
  return context.store.ensureCollection(context.database, collectionNameOf(context)).collection;
}

/** An optional object argument of a command, checked. */
export function objectArgument(context: CommandContext, name: string): StoredDocument | undefined {
  const value = context.command[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw badValue(`'${name}' must be an object`);
  return value as StoredDocument;
}

/** How a query of a command (or of one statement of it) reads: its collation (or the collection's) and its hint. */
export interface QueryOptions {
  collation: Collation | undefined;
  hint: Hint | undefined;
}

/** The collation and hint of a command or statement, the collation defaulting to the collection's own. */
export function queryOptionsOf(source: StoredDocument, collection: Collection | undefined): QueryOptions {
  return { collation: resolveCollation(source['collation'], collection?.options['collation']), hint: parseHint(source['hint']) };
}
