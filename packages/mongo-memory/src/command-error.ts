/** Fields MongoDB adds to a duplicate key error so drivers and mongoose can report which key collided. */
export interface DuplicateKeyDetails {
  keyPattern: Record<string, unknown>;
  keyValue: Record<string, unknown>;
}

/**
 * A command failure in MongoDB's shape (`ok: 0, code, codeName, errmsg`); thrown anywhere below a command and
 * rendered once by the dispatcher, or reported as a write error by the write commands.
 */
export class CommandError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    message: string,
    readonly details: Partial<DuplicateKeyDetails> & Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'CommandError';
  }

  /** The reply document of a command that failed with this error. */
  toReply(): Record<string, unknown> {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.details };
  }
}

/** Shorthand for the most common failure: a malformed argument (code 2, BadValue). */
export function badValue(message: string): CommandError {
  return new CommandError(2, 'BadValue', message);
}

/** A collection that a command needs does not exist (code 26, NamespaceNotFound). */
export function namespaceNotFound(namespace: string): CommandError {
  return new CommandError(26, 'NamespaceNotFound', `ns does not exist: ${namespace}`);
}

/**
 * A feature of MongoDB this engine does not have (geo queries, `$text`, `$where`, change streams...): refused with
 * code 238 (NotImplemented) rather than answered with a wrong result.
 */
export function notSupported(feature: string): CommandError {
  return new CommandError(238, 'NotImplemented', `${feature} is not supported by @ai-chat/mongo-memory`);
}
