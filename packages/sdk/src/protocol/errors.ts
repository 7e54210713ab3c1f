import { z } from 'zod';

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

/** The `type` of an error, validated. */
export const ErrorTypeSchema = z.enum(Object.keys(ERROR_STATUS) as [ErrorType, ...ErrorType[]]);

/** One problem found in a request, e.g. a field that failed validation. */
export const ErrorDetailSchema = z.object({ path: z.string(), message: z.string() });
/** The shape of {@link ErrorDetailSchema}, as on the wire. */
export type ErrorDetail = z.infer<typeof ErrorDetailSchema>;

/** The body of every non-2xx response, and nothing else. */
export const ErrorBodySchema = z.object({
  error: z.object({
    type: ErrorTypeSchema,
    message: z.string(),
    details: z.array(ErrorDetailSchema),
    requestId: z.string(),
  }),
});
/** The shape of {@link ErrorBodySchema}, as on the wire. */
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
