import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import { AppError } from '../errors/app-error.js';

/**
 * Parses JSON request bodies up to `limit` bytes: a larger body is `413 payload_too_large`, a body of another media
 * type is `415 unsupported_media_type`, malformed JSON is `400 invalid_request`.
 */
export function jsonBody(limit: number): Middleware {
  const parse = bodyParser({ enableTypes: ['json'], jsonLimit: limit, encoding: 'utf-8' });
  return async (ctx, next) => {
    const hasBody = ctx.request.length > 0 || ctx.get('Transfer-Encoding') !== '';
    if (hasBody && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(ctx.method) && !ctx.is('application/json')) {
      throw new AppError('unsupported_media_type', 'Send the request body as application/json');
    }
    if (ctx.request.length > limit) throw new AppError('payload_too_large', `The request body is larger than ${limit} bytes`);
    await parse(ctx, next);
  };
}
