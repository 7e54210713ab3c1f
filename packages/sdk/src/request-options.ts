/** Options every SDK method takes as its last argument. */
export interface RequestOptions {
  /** Aborts the call; it then rejects with `APIUserAbortError`. */
  signal?: AbortSignal | undefined;
  /**
   * Milliseconds to wait for the server to answer (per attempt), overriding the client's `timeout`. For a stream it
   * also bounds the silence between two chunks (the server pings every 15 s while idle).
   */
  timeout?: number | undefined;
  /** How many times to retry a call that is safe to retry, overriding the client's `maxRetries`. */
  maxRetries?: number | undefined;
}
