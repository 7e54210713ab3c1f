import type { Context } from 'koa';
import type { z } from 'zod';
import { AppError } from '../errors/app-error.js';

/** Parses a value with a schema, or throws `400 invalid_request` listing every problem by path. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'path'): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.join('.') : where,
    message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
  const first = details[0]!;
  throw new AppError('invalid_request', `${first.path}: ${first.message}`, { details });
}

/** The request body, parsed with a strict schema. */
export function parseBody<S extends z.ZodType>(ctx: Context, schema: S): z.output<S> {
  return parseInput(schema, (ctx.request as { body?: unknown }).body, 'body');
}

/** The query string, parsed with a strict schema (values arrive as strings and are coerced). */
export function parseQuery<S extends z.ZodType>(ctx: Context, schema: S): z.output<S> {
  return parseInput(schema, { ...ctx.query }, 'query');
}

/**
 * The path parameters the schema names, parsed before any database call. Only those are read: routers mounted inside
 * one another add parameters of their own (such as the mount's wildcard).
 */
export function parseParams<S extends z.ZodObject>(ctx: Context, schema: S): z.output<S> {
  const params = (ctx as { params?: Record<string, string> }).params ?? {};
  const named = Object.fromEntries(Object.keys(schema.shape).map((key) => [key, params[key]]));
  return parseInput(schema, named, 'path');
}
