import { mongo } from 'mongoose';

/** MongoDB's error code for a write that a unique index refused. */
const DUPLICATE_KEY = 11000;

/** One refused write as the driver reports it: a single write's error, or one entry of a bulk write's `writeErrors`. */
interface WriteFailure {
  code?: unknown;
  keyPattern?: Record<string, unknown>;
  err?: { op?: object };
}

/**
 * Whether a write failed on a unique index; with `field`, only when that index covers the field (so a repeated
 * `clientMessageId` is told apart from any other collision). For `insertMany`, whose errors the driver reports
 * without the index's key pattern, the refused document must hold the field.
 */
export function isDuplicateKeyError(error: unknown, field?: string): boolean {
  if (!(error instanceof mongo.MongoServerError)) return false;
  const failures: WriteFailure[] = error instanceof mongo.MongoBulkWriteError ? [error.writeErrors].flat() : [error as WriteFailure];
  const duplicate = failures.find((failure) => failure.code === DUPLICATE_KEY);
  if (!duplicate || field === undefined) return duplicate !== undefined;
  if (duplicate.keyPattern) return field in duplicate.keyPattern;
  return (duplicate.err?.op as Record<string, unknown> | undefined)?.[field] !== undefined;
}
