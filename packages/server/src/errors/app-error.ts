import { ERROR_STATUS, type ErrorDetail, type ErrorType } from '@ai-chat/protocol';

/** Options of an {@link AppError}. */
export interface AppErrorOptions {
  details?: ErrorDetail[];
  /** Seconds a client should wait before trying again (`Retry-After`). */
  retryAfter?: number;
  cause?: unknown;
}

/**
 * The one error model of the server: every failure a visitor may see is an `AppError` with a contract error type,
 * rendered by the error handler as `{ error: { type, message, details, requestId } }` with the type's status.
 */
export class AppError extends Error {
  readonly status: number;
  readonly details: ErrorDetail[];
  readonly retryAfter: number | undefined;

  constructor(
    readonly type: ErrorType,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.status = ERROR_STATUS[type];
    this.details = options.details ?? [];
    this.retryAfter = options.retryAfter;
  }
}

/** The error for a resource that does not exist or belongs to someone else: the two look the same from outside. */
export function notFound(what: string): AppError {
  return new AppError('not_found', `${what} not found`);
}
