import { ERROR_STATUS } from '@ai-chat/protocol/error-status';
import type { ErrorDetail, ErrorType } from '@ai-chat/protocol';

/** The `type` of an error: one of the contract's error types, or whatever a newer server or a proxy sent. */
export type ChatErrorType = ErrorType | 'connection_error' | 'timeout' | 'aborted' | (string & {});

/** The root of every error the SDK throws, so `catch (error) { if (error instanceof ChatError) … }` catches them all. */
export class ChatError extends Error {
  override name = 'ChatError';
}

/** The status each error type of the contract travels with; a stream's `error` event carries only the type. */
const STATUS_BY_TYPE: Record<string, number> = ERROR_STATUS;

/**
 * The type to assume for a status when no contract body came back (a proxy's page). Not 502: a gateway's 502 is not
 * the server's `provider_error`, which always comes with its body.
 */
const TYPE_BY_STATUS: Record<number, string> = Object.fromEntries(
  Object.entries(STATUS_BY_TYPE)
    .filter(([type]) => type !== 'provider_error')
    .map(([type, status]) => [status, type]),
);

/** The parts of a response that an error is built from; `body` is the parsed JSON body when there was one. */
type ErrorSource = { status: number | undefined; body: unknown; message: string | undefined; headers: Headers | undefined };

/**
 * The server answered with an error (a non-2xx status or an `error` event in a stream). It carries the contract's
 * `{ type, message, details, requestId }` so a host can show the message and quote the request id to support.
 */
export class APIError extends ChatError {
  override name = 'APIError';
  /** The HTTP status, e.g. 404; for a stream's `error` event, the status that the error type travels with. */
  readonly status: number;
  /** The contract's error type, e.g. `not_found`. */
  readonly type: ChatErrorType;
  /** The server's request id (`X-Request-Id`) for its logs, or null when none came back. */
  readonly requestId: string | null;
  /** Per-field problems of a rejected request (400), else empty. */
  readonly details: ErrorDetail[];
  /** The response headers, when there was a response. */
  readonly headers: Headers | undefined;

  constructor(source: ErrorSource) {
    const fields = readErrorFields(source.body);
    const status = source.status ?? STATUS_BY_TYPE[fields.type ?? ''] ?? 500;
    super(fields.message ?? source.message ?? `HTTP ${status}`);
    this.status = status;
    this.type = fields.type ?? TYPE_BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'invalid_request');
    this.requestId = fields.requestId ?? source.headers?.get('x-request-id') ?? null;
    this.details = fields.details;
    this.headers = source.headers;
  }

  /**
   * Builds the error class that matches a response: the one factory every failed call goes through.
   * @example
   * const error = APIError.generate(404, await response.json(), response.statusText, response.headers);
   * error instanceof NotFoundError; // true
   */
  static generate(status: number | undefined, body: unknown, message: string | undefined, headers: Headers | undefined): APIError {
    const source = { status, body, message, headers };
    const type = readErrorFields(body).type;
    const resolved = status ?? STATUS_BY_TYPE[type ?? ''] ?? 500;
    const isProviderError = resolved === 502 && type === 'provider_error';
    const ErrorClass = isProviderError ? ProviderError : (ERROR_CLASSES[resolved] ?? (resolved >= 500 ? InternalServerError : APIError));
    return new ErrorClass(source);
  }
}

/** 400 `invalid_request`: the request broke the contract; `details` lists the fields. */
export class BadRequestError extends APIError {
  override name = 'BadRequestError';
}

/** 401 `unauthorized`: no token, an unknown one, or a host `userToken` that failed verification. */
export class AuthenticationError extends APIError {
  override name = 'AuthenticationError';
}

/** 404 `not_found`: the resource does not exist, or belongs to someone else. */
export class NotFoundError extends APIError {
  override name = 'NotFoundError';
}

/** 409 `conflict`: e.g. a reply is already being written in that session. */
export class ConflictError extends APIError {
  override name = 'ConflictError';
}

/** 413 `payload_too_large`: the body is larger than the server accepts. */
export class PayloadTooLargeError extends APIError {
  override name = 'PayloadTooLargeError';
}

/** 415 `unsupported_media_type`: the body was not JSON. */
export class UnsupportedMediaTypeError extends APIError {
  override name = 'UnsupportedMediaTypeError';
}

/** 429 `rate_limited`: too many requests; `retryAfter` says how many seconds to wait, when the server said. */
export class RateLimitError extends APIError {
  override name = 'RateLimitError';
  /** Seconds to wait before trying again (`Retry-After`), or null. */
  readonly retryAfter: number | null = readRetryAfterSeconds(this.headers);
}

/** Any 5xx: the server failed. Its subclasses name the two that the contract gives a type of their own. */
export class InternalServerError extends APIError {
  override name = 'InternalServerError';
}

/** 502 `provider_error`: the AI provider behind the server failed; the reply was stored with status `error`. */
export class ProviderError extends InternalServerError {
  override name = 'ProviderError';
}

/** 503 `unavailable`: the server cannot serve now (e.g. its database is down); `retryAfter` as for rate limits. */
export class UnavailableError extends InternalServerError {
  override name = 'UnavailableError';
  /** Seconds to wait before trying again (`Retry-After`), or null. */
  readonly retryAfter: number | null = readRetryAfterSeconds(this.headers);
}

/** The server could not be reached, or the connection broke before the answer was complete. */
export class APIConnectionError extends ChatError {
  override name = 'APIConnectionError';
  /** Always `connection_error`, so code can switch on `type` for every SDK error alike. */
  readonly type: ChatErrorType = 'connection_error';

  constructor(message = 'Connection error.', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** No answer (or, in a stream, no byte) came within the `timeout`. */
export class APIConnectionTimeoutError extends APIConnectionError {
  override name = 'APIConnectionTimeoutError';
  override readonly type: ChatErrorType = 'timeout';

  constructor(message = 'Request timed out.') {
    super(message);
  }
}

/** The caller aborted the request (an `AbortSignal`, `stream.abort()`, or leaving a `for await` loop early). */
export class APIUserAbortError extends ChatError {
  override name = 'APIUserAbortError';
  readonly type: ChatErrorType = 'aborted';

  constructor(message = 'Request was aborted.') {
    super(message);
  }
}

const ERROR_CLASSES: Record<number, new (source: ErrorSource) => APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  404: NotFoundError,
  409: ConflictError,
  413: PayloadTooLargeError,
  415: UnsupportedMediaTypeError,
  429: RateLimitError,
  503: UnavailableError,
};

/** Reads the contract's `{ error: { … } }` defensively: a proxy's HTML page or a bare string must not throw here. */
function readErrorFields(body: unknown): { type?: string; message?: string; requestId?: string; details: ErrorDetail[] } {
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  return {
    ...(typeof error.type === 'string' && { type: error.type }),
    ...(typeof error.message === 'string' && { message: error.message }),
    ...(typeof error.requestId === 'string' && { requestId: error.requestId }),
    details: Array.isArray(error.details) ? (error.details as ErrorDetail[]) : [],
  };
}

/** `Retry-After` as seconds: the header may hold a number of seconds or an HTTP date. */
export function readRetryAfterSeconds(headers: Headers | undefined): number | null {
  const value = headers?.get('retry-after')?.trim();
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, (date - Date.now()) / 1000);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
