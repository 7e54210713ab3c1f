import { ERROR_STATUS } from '@ai-chat/protocol';
import type { FuzzRequest } from './fuzz-requests.js';
import type { RawResponse } from './send-raw-request.js';

/**
 * What is wrong with an answer, or `undefined`: a status of 500 or more, an error body that is not exactly the
 * contract's `{ error: { type, message, details, requestId } }` with the type's own status, or a response without
 * `X-Content-Type-Options: nosniff`.
 */
export function findProblem(request: FuzzRequest, response: RawResponse): string | undefined {
  if (response.status >= 500) return `status ${response.status}`;
  if (response.headers['x-content-type-options'] !== 'nosniff') return 'no X-Content-Type-Options: nosniff';
  if (response.status < 400 || request.method === 'HEAD' || request.method === 'head') return undefined;
  if (!String(response.headers['content-type'] ?? '').startsWith('application/json')) {
    return `error of type ${String(response.headers['content-type'])}, not JSON`;
  }
  return findErrorShapeProblem(response);
}

function findErrorShapeProblem(response: RawResponse): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    return 'error body is not JSON';
  }
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  if (!error || Object.keys(body as object).length !== 1) return 'error body is not { error }';
  if (Object.keys(error).sort().join() !== 'details,message,requestId,type') return `error has keys ${Object.keys(error).join()}`;
  const expected = ERROR_STATUS[error.type as keyof typeof ERROR_STATUS];
  if (expected !== response.status) return `error type ${String(error.type)} sent with status ${response.status}`;
  if (typeof error.message !== 'string' || !Array.isArray(error.details) || typeof error.requestId !== 'string') return 'error fields of the wrong types';
  return undefined;
}
