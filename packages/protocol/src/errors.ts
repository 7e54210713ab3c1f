import { z } from 'zod';
import { ERROR_STATUS, type ErrorType } from './error-status.js';

export { ERROR_STATUS, type ErrorType };

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
