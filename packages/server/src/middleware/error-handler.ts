import type { Context, Middleware } from 'koa';
import type { ErrorBody } from '@ai-chat/protocol';
import type { Logger } from 'pino';
import { AppError } from '../errors/app-error.js';

/**
 * The first middleware of the chain: renders every failure in the contract's shape
 * `{ error: { type, message, details, requestId } }`. Unexpected errors become a generic 500 and are logged with the
 * request id; their details never reach the client.
 */
export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new AppError('not_found', `No route for ${ctx.method} ${ctx.path}`);
    } catch (caught) {
      const error = toAppError(caught);
      if (error.type === 'internal') {
        logger.error({ err: caught, requestId: ctx.state.requestId, method: ctx.method, path: ctx.path }, 'request failed');
      }
      renderError(ctx, error);
    }
  };
}

/** Writes an error response in the contract's shape. */
export function renderError(ctx: Context, error: AppError): void {
  const body: ErrorBody = {
    error: { type: error.type, message: error.message, details: error.details, requestId: String(ctx.state.requestId ?? '') },
  };
  ctx.status = error.status;
  ctx.type = 'application/json';
  ctx.body = body;
  if (error.retryAfter !== undefined) ctx.set('Retry-After', String(Math.max(1, Math.ceil(error.retryAfter))));
}

/** Maps anything thrown (our errors, Koa/body-parser HTTP errors, anything else) to an {@link AppError}. */
export function toAppError(caught: unknown): AppError {
  if (caught instanceof AppError) return caught;
  const status = (caught as { status?: number; statusCode?: number }).status ?? (caught as { statusCode?: number }).statusCode;
  const expose = (caught as { expose?: boolean }).expose === true;
  const message = caught instanceof Error ? caught.message : String(caught);
  switch (status) {
    case 400:
      return new AppError('invalid_request', expose ? `Malformed request body: ${message}` : 'Malformed request body');
    case 401:
      return new AppError('unauthorized', 'Authentication required');
    case 404:
      return new AppError('not_found', 'Not found');
    case 413:
      return new AppError('payload_too_large', 'The request body is too large');
    case 415:
      return new AppError('unsupported_media_type', 'Send the request body as application/json');
    default:
      return new AppError('internal', 'Something went wrong on our side. Please try again.', { cause: caught });
  }
}
