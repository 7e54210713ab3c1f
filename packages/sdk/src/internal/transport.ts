import { APIError } from '../errors.js';
import type { RequestOptions } from '../request-options.js';
import type { ApiRequest } from './api-request.js';
import { Attempt } from './attempt.js';
import { computeRetryDelay, isRetryable } from './retry-delay.js';
import { sleep } from './sleep.js';

/** What the transport needs from the client's options, already defaulted. */
export interface TransportOptions {
  baseUrl: string;
  fetch: typeof fetch;
  timeout: number;
  maxRetries: number;
}

/** Reads a successful response within its attempt; a throw here (a dropped connection) may be retried. */
export type ResponseReader<T> = (response: Response, attempt: Attempt) => Promise<T>;

/**
 * Sends requests with fetch: builds the URL and headers, applies the timeout, turns failures into typed errors and
 * retries those that are safe to retry, with backoff.
 */
export class Transport {
  readonly #options: TransportOptions;

  constructor(options: TransportOptions) {
    this.#options = options;
  }

  /** Sends `request` and reads its JSON body (undefined when empty, as for 202 and 204), retrying where safe. */
  json<T>(request: ApiRequest, options: RequestOptions = {}): Promise<T> {
    return this.send(request, options, async (response, attempt) => {
      try {
        const text = await response.text();
        return (text ? JSON.parse(text) : undefined) as T;
      } finally {
        attempt.finish();
      }
    });
  }

  /** Sends `request` for its status alone (a 202 or 204): whatever body comes back (Koa writes "Accepted") is read and dropped. */
  empty(request: ApiRequest, options: RequestOptions = {}): Promise<void> {
    return this.send(request, options, async (response, attempt) => {
      try {
        await response.arrayBuffer();
      } finally {
        attempt.finish();
      }
    });
  }

  /** Sends `request` and hands each 2xx response to `read`; failed attempts are retried while that is safe. */
  async send<T>(request: ApiRequest, options: RequestOptions, read: ResponseReader<T>): Promise<T> {
    const maxRetries = request.isRetrySafe ? (options.maxRetries ?? this.#options.maxRetries) : 0;
    for (let retry = 1; ; retry++) {
      try {
        return await this.#sendOnce(request, options, read);
      } catch (error) {
        if (retry > maxRetries || !isRetryable(error)) throw error;
        await sleep(computeRetryDelay(retry, error), options.signal);
      }
    }
  }

  async #sendOnce<T>(request: ApiRequest, options: RequestOptions, read: ResponseReader<T>): Promise<T> {
    const attempt = new Attempt(options.signal, options.timeout ?? this.#options.timeout);
    try {
      const response = await this.#options.fetch(this.#url(request), {
        method: request.method,
        headers: this.#headers(request),
        ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
        signal: attempt.signal,
      });
      if (!response.ok) throw await readError(response);
      return await read(response, attempt);
    } catch (error) {
      attempt.finish();
      throw attempt.toError(error);
    }
  }

  #url(request: ApiRequest): string {
    const url = new URL(this.#options.baseUrl + request.path);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.toString();
  }

  #headers(request: ApiRequest): Record<string, string> {
    return {
      accept: request.accept ?? 'application/json',
      ...(request.body !== undefined && { 'content-type': 'application/json' }),
      ...(request.token && { authorization: `Bearer ${request.token}` }),
    };
  }
}

/** Builds the typed error of a non-2xx response from its body, whatever that body turns out to be. */
async function readError(response: Response): Promise<APIError> {
  const text = await response.text().catch(() => '');
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's HTML page): the status alone decides the class.
  }
  return APIError.generate(response.status, body, response.statusText || undefined, response.headers);
}
