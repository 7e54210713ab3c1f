import type { AiChatStrings } from '../strings.js';

/** The keys of the strings that explain a failure to a visitor. */
export type VisitorErrorKey =
  | 'errorTooLong'
  | 'errorRateLimited'
  | 'errorOffline'
  | 'errorServer'
  | 'errorProvider'
  | 'errorInterrupted'
  | 'errorNotFound'
  | 'errorSignedOut'
  | 'errorBusy'
  | 'errorGeneric';

const KEY_BY_TYPE: Record<string, VisitorErrorKey> = {
  payload_too_large: 'errorTooLong',
  rate_limited: 'errorRateLimited',
  connection_error: 'errorOffline',
  timeout: 'errorOffline',
  internal: 'errorServer',
  unavailable: 'errorServer',
  provider_error: 'errorProvider',
  provider_timeout: 'errorProvider',
  interrupted: 'errorInterrupted',
  not_found: 'errorNotFound',
  unauthorized: 'errorSignedOut',
  conflict: 'errorBusy',
};

/**
 * Which sentence explains a failure to a visitor. Visitors never see a server's message (validation paths, settings,
 * a vendor's words): those stay in the `ai-error` event for the developer. `error` is anything the element meets: an
 * SDK error (`type`, `status`, `name`), a stream's `error` event, a failed reply's `error`, or a thrown value.
 */
export function visitorErrorKey(error: unknown): VisitorErrorKey {
  const { name, type, status, message } = (error ?? {}) as { name?: unknown; type?: unknown; status?: unknown; message?: unknown };
  if (name === 'MessageTooLongError') return 'errorTooLong';
  if (name === 'APIConnectionError' || name === 'APIConnectionTimeoutError') return 'errorOffline';
  if (typeof type === 'string' && KEY_BY_TYPE[type]) return KEY_BY_TYPE[type];
  // provider_unavailable, provider_auth, provider_rate_limited, provider_bad_response… (and any a newer server adds).
  if (typeof type === 'string' && type.startsWith('provider_')) return 'errorProvider';
  if (globalThis.navigator?.onLine === false) return 'errorOffline';
  // A server of another version may refuse a length this element did not know about.
  if (type === 'invalid_request' && typeof message === 'string' && /^content: must be at most/.test(message)) return 'errorTooLong';
  if (typeof status === 'number' && status >= 500) return 'errorServer';
  if (error instanceof TypeError) return 'errorOffline';
  return 'errorGeneric';
}

/**
 * The sentence a visitor sees for a failure, in the element's strings; `{max}` (in `errorTooLong`) becomes the longest
 * message the server accepts, formatted in `locale`.
 */
export function visitorErrorText(error: unknown, strings: AiChatStrings, maxLength: number, locale?: string): string {
  return strings[visitorErrorKey(error)].replace('{max}', new Intl.NumberFormat(locale).format(maxLength));
}
