// No zod here: the SDK imports this module (`@ai-chat/protocol/error-status`) at run time, and zod must never reach
// a browser bundle.

/** Every error type of the contract, with the HTTP status it is sent with. */
export const ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  provider_error: 502,
  unavailable: 503,
} as const;

/** The `type` of an error on the wire. */
export type ErrorType = keyof typeof ERROR_STATUS;
