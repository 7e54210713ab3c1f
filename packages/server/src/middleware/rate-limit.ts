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
 * limits hold across every server process sharing the database. The counters a request touches (IP, token, and for
 * `POST /api/chat` the chat counter) are counted at once, each an atomic `$inc`, so they cost one round trip however
 * many there are; a request refused by one counter gives its point back to those after it (IP, token, chat), as if
 * they had been counted one after another. Over a limit: `429 rate_limited` with `Retry-After`. When the
 * database cannot be reached the request goes through (and is logged): the database error surfaces in the handler
 * anyway.
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
    const counted: Array<[RateLimiterMongo, string]> = [[perIp, ctx.ip]];
    if (token) {
      const key = hashToken(token);
      counted.push([perToken, key]);
      if (ctx.method === 'POST' && ctx.path.endsWith('/chat')) counted.push([chat, key]);
    }
    const outcomes = await Promise.allSettled(counted.map(([counter, key]) => counter.consume(key)));
    const isRefusal = (outcome: PromiseSettledResult<unknown>) => outcome.status === 'rejected' && outcome.reason instanceof RateLimiterRes;
    const firstRefusal = outcomes.findIndex(isRefusal);
    if (firstRefusal >= 0) {
      // As if counted one after another (IP, token, chat) up to the first refusal: every counter after it, which
      // counted the request (refusing or not), gives its point back, off the request's path.
      for (const [counter, key] of counted.slice(firstRefusal + 1)) {
        counter.reward(key).catch((error: unknown) => logger.warn({ err: error }, 'could not give a rate limit point back'));
      }
      const refusal = (outcomes[firstRefusal] as PromiseRejectedResult).reason as RateLimiterRes;
      throw new AppError('rate_limited', 'Too many requests; slow down and try again shortly', { retryAfter: refusal.msBeforeNext / 1000 });
    }
    const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failure) logger.warn({ err: failure.reason, requestId: ctx.state.requestId }, 'rate limiter unavailable; request let through');
    await next();
  };
}
