import type { Middleware } from 'koa';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { RateLimiterMongo, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors/app-error.js';
import { hashToken } from '../services/access-token.service.js';

/** Limits of {@link rateLimit}, in requests per minute. */
export interface RateLimitOptions {
  perTokenPerMinute: number;
  perIpPerMinute: number;
  /** For `POST /api/chat`, which costs provider tokens. */
  chatPerMinute: number;
}

/**
 * Rate limits per bearer token and per client IP, with counters kept in MongoDB (`rate_limits` collection) so the
 * limits hold across every server process sharing the database. Over a limit: `429 rate_limited` with
 * `Retry-After`. When the database cannot be reached the request goes through (and is logged): the database error
 * surfaces in the handler anyway.
 */
export function rateLimit(connection: Connection, options: RateLimitOptions, logger: Logger): Middleware {
  const limiter = (keyPrefix: string, points: number) =>
    new RateLimiterMongo({
      storeClient: connection.getClient(),
      dbName: connection.name,
      tableName: 'rate_limits',
      keyPrefix,
      points,
      duration: 60,
      disableIndexesCreation: true,
    });
  const perIp = limiter('ip', options.perIpPerMinute);
  const perToken = limiter('token', options.perTokenPerMinute);
  const chat = limiter('chat', options.chatPerMinute);
  // One shared collection: its TTL and unique indexes are built once, and a failure is logged rather than printed.
  perIp.createIndexes().catch((error: unknown) => logger.warn({ err: error }, 'could not create the rate limit indexes'));

  return async (ctx, next) => {
    const token = /^Bearer\s+(\S+)$/i.exec(ctx.get('Authorization'))?.[1];
    try {
      await perIp.consume(ctx.ip);
      if (token) {
        const key = hashToken(token);
        await perToken.consume(key);
        if (ctx.method === 'POST' && ctx.path.endsWith('/chat')) await chat.consume(key);
      }
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw new AppError('rate_limited', 'Too many requests; slow down and try again shortly', {
          retryAfter: rejection.msBeforeNext / 1000,
        });
      }
      logger.warn({ err: rejection, requestId: ctx.state.requestId }, 'rate limiter unavailable; request let through');
    }
    await next();
  };
}
