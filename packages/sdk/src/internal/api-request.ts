/** One call to the API as the resources describe it; the transport turns it into fetch calls. */
export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path under the base URL, starting with `/api/`. */
  path: string;
  query?: Record<string, string | number | undefined> | undefined;
  /** Sent as JSON when present. */
  body?: unknown;
  /** `Accept` header; JSON unless a stream is asked for. */
  accept?: string;
  /** Whether sending the same request twice is harmless, so a failed attempt may be retried. */
  isRetrySafe: boolean;
  /** Bearer token to send, when the call needs one. */
  token?: string | undefined;
}
