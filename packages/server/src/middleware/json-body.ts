import { bodyParser } from '@koa/bodyparser';
import type { Context, Middleware } from 'koa';
import { AppError } from '../errors/app-error.js';

/** The content codings a body may arrive in; the body parser decompresses them. */
const ACCEPTED_ENCODINGS = new Set(['identity', 'gzip', 'deflate', 'br']);

/**
 * Parses JSON request bodies up to `limit` bytes, counted after decompression (a small gzip bomb is
 * `413 payload_too_large` too); a body of another media type is `415 unsupported_media_type`, and so is a
 * `Content-Encoding` other than gzip, deflate or br; a body that does not decompress or is not JSON is
 * `400 invalid_request`.
 */
export function jsonBody(limit: number): Middleware {
  const parse = bodyParser({ enableTypes: ['json'], jsonLimit: limit, encoding: 'utf-8' });
  return async (ctx, next) => {
    const hasBody = ctx.request.length > 0 || ctx.get('Transfer-Encoding') !== '';
    if (hasBody && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(ctx.method) && !ctx.is('application/json')) {
      throw new AppError('unsupported_media_type', 'Send the request body as application/json');
    }
    const encoding = normaliseContentEncoding(ctx);
    if (ctx.request.length > limit) throw new AppError('payload_too_large', `The request body is larger than ${limit} bytes`);
    let parsed = false;
    await parse(ctx, async () => {
      parsed = true;
      await next();
    }).catch((error: unknown) => {
      // Errors from the handlers pass through; only the parser's own failures are about the request.
      if (parsed) throw error;
      throw toBodyError(error, encoding, limit);
    });
  };
}

/** Reads `Content-Encoding` (case and spaces aside) and refuses what the parser cannot decode, before reading. */
function normaliseContentEncoding(ctx: Context): string {
  const header = ctx.get('Content-Encoding');
  const encoding = header.trim().toLowerCase() || 'identity';
  if (!ACCEPTED_ENCODINGS.has(encoding)) {
    throw new AppError('unsupported_media_type', `Content-Encoding "${header.slice(0, 40)}" is not accepted: send identity, gzip, deflate or br`);
  }
  if (header !== '') ctx.req.headers['content-encoding'] = encoding;
  return encoding;
}

function toBodyError(error: unknown, encoding: string, limit: number): unknown {
  const status = (error as { status?: unknown }).status;
  if (status === 413) return new AppError('payload_too_large', `The request body is larger than ${limit} bytes (after decompression)`);
  if (status === 415) return new AppError('unsupported_media_type', 'Send the request body as UTF-8 JSON (application/json)');
  if (typeof status === 'number') return error;
  // zlib and brotli errors carry no HTTP status: the body is corrupt or cut short.
  if (encoding !== 'identity') return new AppError('invalid_request', `The request body could not be decompressed (Content-Encoding: ${encoding})`);
  return error;
}
