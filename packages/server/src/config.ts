import { z } from 'zod';
import { EMBEDDED_DATABASES, type EmbeddedDatabase } from './database/find-database.js';
import { loadModelsConfig, type ModelsConfig } from './providers/models-config.js';

/** Raised when the configuration is wrong: the message names the variable and what is wrong with it. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const sizeFromEnv = z
  .string()
  .regex(/^\d+(\.\d+)?\s*(b|kb|mb)?$/i, 'must be a size such as 1mb, 512kb or 1048576')
  .transform((value) => {
    const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb)?$/i.exec(value)!;
    const unit = { b: 1, kb: 1024, mb: 1024 * 1024 }[(match[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb'];
    return Math.round(Number(match[1]) * unit);
  });

const positiveInteger = z.coerce.number().int('must be a whole number').positive('must be positive');

const DURATION_UNITS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

const durationFromEnv = z
  .string()
  .regex(/^\d+\s*[smhd]$/i, 'must be a duration such as 90m, 12h or 30d')
  .transform((value) => {
    const unit = value.trim().slice(-1).toLowerCase() as keyof typeof DURATION_UNITS;
    return Number.parseInt(value, 10) * DURATION_UNITS[unit];
  })
  .refine((milliseconds) => milliseconds >= 60_000, 'must be at least one minute');

// A CSP source for frame-ancestors: 'self', or an origin (a leading *. for subdomains), never a path or a keyword list.
const FRAME_ANCESTOR = /^('self'|self|https?:\/\/(\*\.)?[A-Za-z0-9.-]+(:\d+)?)$/;

/** The environment variables the server reads, with their defaults. README's configuration table lists them. */
export const EnvironmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  EMBEDDED_DATABASE: z.enum(EMBEDDED_DATABASES).default('engine'),
  IDENTITY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ALLOWED_ORIGINS: z
    .string()
    .default('*')
    .refine(
      (value) => value.split(',').every((origin) => origin.trim() === '*' || /^https?:\/\/[^\s/]+\/?$/.test(origin.trim())),
      'must be * or a comma-separated list of origins such as https://shop.example',
    ),
  BODY_LIMIT: sizeFromEnv.default(1024 * 1024),
  RATE_LIMIT_PER_MINUTE: positiveInteger.default(120),
  RATE_LIMIT_IP_PER_MINUTE: positiveInteger.default(600),
  RATE_LIMIT_CHAT_PER_MINUTE: positiveInteger.default(20),
  TRUST_PROXY: booleanFromEnv.default(false),
  IDENTIFIED_TOKEN_EXPIRY: durationFromEnv.default(30 * DURATION_UNITS.d),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces').optional(),
  METRICS_PUBLIC: booleanFromEnv.default(false),
  FRAME_ANCESTORS: z
    .string()
    .default('')
    .refine(
      (value) => splitList(value).every((source) => FRAME_ANCESTOR.test(source)),
      "must be 'self' or origins such as https://shop.example, separated by commas or spaces",
    ),
  REPLY_LOCK_TTL_MS: z.coerce.number().int('must be a whole number').min(1000, 'must be at least 1000 (a second)').max(600_000, 'must be at most 600000 (ten minutes)').default(30_000),
  TOKEN_CACHE_TTL_MS: z.coerce.number().int('must be a whole number').min(0, 'must be 0 (off) or more').max(60_000, 'must be at most 60000 (a minute)').default(5_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Everything the server needs to run, parsed once at start-up. */
export interface ServerConfig {
  port: number;
  host: string;
  mongodbUri: string | undefined;
  /** Without `mongodbUri`: the in-process engine (`engine`) or a real `mongod` falling back to it (`mongod`). */
  embeddedDatabase: EmbeddedDatabase;
  dataDirectory: string;
  /** HS256 secret shared with host sites that sign identity tokens; absent disables `POST /api/users/identify`. */
  identitySecret: string | undefined;
  /** Origins allowed by CORS; `['*']` allows any origin (never with credentials). */
  allowedOrigins: string[];
  bodyLimit: number;
  rateLimits: { perTokenPerMinute: number; perIpPerMinute: number; chatPerMinute: number };
  trustProxy: boolean;
  /** How long an identified user's token lasts without use; each use extends it. */
  identifiedTokenExpiryMs: number;
  /** The bearer token `GET /metrics` requires; without it (and without `metricsPublic`) metrics are not served. */
  metricsToken: string | undefined;
  /** Serve `GET /metrics` to anyone when no `metricsToken` is set. */
  metricsPublic: boolean;
  /** Who may show the demo page in a frame (CSP `frame-ancestors`): `'self'` or origins; empty means nobody. */
  frameAncestors: string[];
  /**
   * How long a session's reply lock lives without renewal: a reply whose process died is marked `interrupted` about
   * this long after, and a writer that cannot renew its lock stops a little before it lapses.
   */
  replyLockTtlMs: number;
  /**
   * How long a resolved bearer token is served from memory (0: off). A token signed out or erased through one server
   * process stops working there at once, and in other processes sharing the database within this long.
   */
  tokenCacheTtlMs: number;
  logLevel: z.infer<typeof EnvironmentSchema>['LOG_LEVEL'];
  models: ModelsConfig;
}

/**
 * Parses the server's configuration from environment variables (and the models' JSON config file when
 * `AI_CHAT_CONFIG` names one). Throws a {@link ConfigurationError} that names every wrong variable.
 */
export function loadServerConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const defined = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = EnvironmentSchema.safeParse(defined);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigurationError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const values = parsed.data;
  let models: ModelsConfig;
  try {
    models = loadModelsConfig(defined);
  } catch (error) {
    throw new ConfigurationError(`Invalid model configuration: ${(error as Error).message}`);
  }
  return {
    port: values.PORT,
    host: values.HOST,
    mongodbUri: values.MONGODB_URI,
    embeddedDatabase: values.EMBEDDED_DATABASE,
    dataDirectory: values.DATA_DIR,
    identitySecret: values.IDENTITY_SECRET,
    allowedOrigins: values.ALLOWED_ORIGINS.split(',').map((origin) => origin.trim().replace(/\/$/, '')).filter(Boolean),
    bodyLimit: values.BODY_LIMIT,
    rateLimits: {
      perTokenPerMinute: values.RATE_LIMIT_PER_MINUTE,
      perIpPerMinute: values.RATE_LIMIT_IP_PER_MINUTE,
      chatPerMinute: values.RATE_LIMIT_CHAT_PER_MINUTE,
    },
    trustProxy: values.TRUST_PROXY,
    identifiedTokenExpiryMs: values.IDENTIFIED_TOKEN_EXPIRY,
    metricsToken: values.METRICS_TOKEN,
    metricsPublic: values.METRICS_PUBLIC,
    frameAncestors: splitList(values.FRAME_ANCESTORS).map((source) => (source === 'self' ? "'self'" : source)),
    replyLockTtlMs: values.REPLY_LOCK_TTL_MS,
    tokenCacheTtlMs: values.TOKEN_CACHE_TTL_MS,
    logLevel: values.LOG_LEVEL,
    models,
  };
}

function splitList(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean);
}
