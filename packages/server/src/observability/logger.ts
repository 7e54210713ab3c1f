import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { createSecretRedactor } from '../providers/redact-secrets.js';

/** Options of {@link createLogger}: pino's, plus the secrets no log line may show. */
export interface CreateLoggerOptions extends LoggerOptions {
  /** API keys (see `configuredSecrets()`): no 8-character run of one, raw or base64, reaches a log line. */
  secrets?: readonly string[];
}

/**
 * The server's structured logger. Authorization headers, tokens, keys and message contents are never logged: the
 * request logger logs chosen fields only, these paths are redacted as a second line of defence, and every line is
 * scrubbed of the configured secrets (whatever wrote it, e.g. an upstream's error echoing a key) as a third.
 */
export function createLogger(options: CreateLoggerOptions = {}, destination?: DestinationStream): Logger {
  const { secrets = [], ...pinoOptions } = options;
  const redact = createSecretRedactor(secrets);
  const settings: LoggerOptions = {
    name: 'ai-chat',
    redact: {
      paths: [
        'req.headers.authorization',
        'headers.authorization',
        'authorization',
        'token',
        '*.token',
        'userToken',
        '*.userToken',
        'apiKey',
        '*.apiKey',
        'content',
        '*.content',
      ],
      censor: '[redacted]',
    },
    hooks: { streamWrite: redact },
    ...pinoOptions,
  };
  return destination ? pino(settings, destination) : pino(settings);
}

export type { Logger };
