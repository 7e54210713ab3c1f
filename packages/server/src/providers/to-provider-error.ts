import { APICallError, EmptyResponseBodyError, InvalidResponseDataError, JSONParseError, TypeValidationError } from 'ai';
import { ProviderError, providerErrorFromStatus } from './provider-error.js';
import { redactSecrets } from './redact-secrets.js';

/** What a vendor puts in a stream's error event, e.g. Anthropic's `overloaded_error` after a 200. */
interface VendorErrorObject {
  type?: unknown;
  code?: unknown;
  message?: unknown;
}

// Vendors' error `type`/`code` words, for errors that arrive inside a 200 stream where there is no HTTP status.
const STATUS_BY_VENDOR_TYPE: Record<string, number> = {
  authentication_error: 401,
  invalid_api_key: 401,
  permission_error: 403,
  not_found_error: 404,
  rate_limit_error: 429,
  rate_limit_exceeded: 429,
  insufficient_quota: 429,
  api_error: 500,
  server_error: 500,
  overloaded_error: 529,
  timeout_error: 504,
};

/**
 * Translates whatever the AI SDK reports (an `APICallError`, a vendor's error event, a broken socket, unreadable
 * JSON) into a ProviderError whose message is safe to show; `secrets` are redacted from the detail kept for logs.
 */
export function toProviderError(error: unknown, secrets: readonly string[] = []): ProviderError {
  if (error instanceof ProviderError) return error;
  const detail = redactSecrets(describe(error), secrets);
  if (APICallError.isInstance(error)) return fromApiCallError(error, detail);
  if (isUnreadable(error)) {
    return new ProviderError('provider_bad_response', 'The AI provider sent a reply that could not be read.', { detail });
  }
  if (isBrokenConnection(error)) {
    return new ProviderError('provider_unavailable', 'The connection to the AI provider broke off.', { detail });
  }
  const vendorError = fromVendorErrorEvent(error, detail);
  if (vendorError) return vendorError;
  return new ProviderError('provider_error', 'The AI provider failed to answer.', { detail });
}

function fromApiCallError(error: APICallError, detail: string): ProviderError {
  if (error.statusCode === undefined) {
    return new ProviderError('provider_unavailable', 'Could not connect to the AI provider.', { detail });
  }
  // The SDK reports a body that broke off after a 200 as an APICallError carrying that 200.
  if (error.statusCode < 400) {
    return new ProviderError('provider_unavailable', 'The connection to the AI provider broke off.', { detail });
  }
  return providerErrorFromStatus(error.statusCode, { detail, retryAfterMs: parseRetryAfter(error.responseHeaders) });
}

function isUnreadable(error: unknown): boolean {
  return (
    JSONParseError.isInstance(error) ||
    TypeValidationError.isInstance(error) ||
    InvalidResponseDataError.isInstance(error) ||
    EmptyResponseBodyError.isInstance(error)
  );
}

const NETWORK_CODE = /^(ECONN|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR)/;

// undici reports a socket closed mid-body as `TypeError: terminated` with the socket error as its cause.
function isBrokenConnection(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const codes = [(error as { code?: unknown }).code, (error.cause as { code?: unknown } | undefined)?.code];
  return error.message === 'terminated' || codes.some((code) => typeof code === 'string' && NETWORK_CODE.test(code));
}

// An error event inside a 200 stream: typed like the status it stands for, named by the vendor's (known) word.
function fromVendorErrorEvent(error: unknown, detail: string): ProviderError | undefined {
  if (typeof error !== 'object' || error === null || error instanceof Error) return undefined;
  const { type, code } = error as VendorErrorObject;
  const word = [code, type].find((candidate): candidate is string => typeof candidate === 'string' && candidate in STATUS_BY_VENDOR_TYPE);
  if (word === undefined) return undefined;
  const { type: errorType } = providerErrorFromStatus(STATUS_BY_VENDOR_TYPE[word]!);
  return new ProviderError(errorType, `The AI provider stopped the reply with an error (${word}).`, { detail });
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (typeof error === 'object' && error !== null) {
    const { type, message } = error as VendorErrorObject;
    return `${String(type ?? 'error')}: ${String(message ?? '')}`;
  }
  return String(error);
}

/** Reads `retry-after-ms`, or `retry-after` in seconds or as an HTTP date, into milliseconds. */
export function parseRetryAfter(headers: Record<string, string> | undefined): number | undefined {
  const milliseconds = Number(headers?.['retry-after-ms']);
  if (headers?.['retry-after-ms'] && Number.isFinite(milliseconds)) return Math.max(0, milliseconds);
  const value = headers?.['retry-after'];
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
