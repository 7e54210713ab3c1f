import type { RequestOptions } from '../request-options.js';
import type { ApiRequest } from './api-request.js';
import type { Identity } from './identity.js';
import type { Transport } from './transport.js';

/** What every resource shares with its client. */
export interface ClientContext {
  transport: Transport;
  identity: Identity;
  /** The client's defaults, for the chat stream, which runs its own retry loop. */
  maxRetries: number;
}

/** Sends an authenticated JSON request: the visitor's token is obtained first and replaced once on a 401. */
export function requestWithToken<T>(
  context: ClientContext,
  request: Omit<ApiRequest, 'token'>,
  options: RequestOptions = {},
): Promise<T> {
  return context.identity.callWithToken(options, (token) => context.transport.json<T>({ ...request, token }, options));
}

/** Like {@link requestWithToken} for calls answered by a status alone (DELETE, stop). */
export function requestEmptyWithToken(
  context: ClientContext,
  request: Omit<ApiRequest, 'token'>,
  options: RequestOptions = {},
): Promise<void> {
  return context.identity.callWithToken(options, (token) => context.transport.empty({ ...request, token }, options));
}

/** Encodes a server-made id for a path; ids are hexadecimal, but a caller's typo must not change the path. */
export function pathId(id: string): string {
  return encodeURIComponent(id);
}
