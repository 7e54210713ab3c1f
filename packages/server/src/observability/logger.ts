import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/**
 * The server's structured logger. Authorization headers, tokens, keys and message contents are never logged: the
 * request logger logs chosen fields only, and these paths are redacted as a second line of defence.
 */
export function createLogger(options: LoggerOptions = {}, destination?: DestinationStream): Logger {
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
    ...options,
  };
  return destination ? pino(settings, destination) : pino(settings);
}

export type { Logger };
