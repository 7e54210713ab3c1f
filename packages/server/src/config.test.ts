import { describe, expect, it } from 'vitest';
import { ConfigurationError, loadServerConfig } from './config.js';

describe('loadServerConfig', () => {
  it('has working defaults: port 3000, the demo model, any origin, 1 MB bodies', () => {
    const config = loadServerConfig({});
    expect(config).toMatchObject({ port: 3000, host: '0.0.0.0', allowedOrigins: ['*'], bodyLimit: 1024 * 1024, dataDirectory: '.data', embeddedDatabase: 'engine' });
    expect(config.models.defaultModel).toBe('demo');
    expect(config.mongodbUri).toBeUndefined();
    expect(config.replyLockTtlMs).toBe(30_000);
  });

  it('parses every variable it documents', () => {
    const config = loadServerConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      MONGODB_URI: 'mongodb://db.internal:27017/chat',
      EMBEDDED_DATABASE: 'mongod',
      IDENTITY_SECRET: 'x'.repeat(32),
      ALLOWED_ORIGINS: 'https://a.example, https://b.example/',
      BODY_LIMIT: '256kb',
      RATE_LIMIT_PER_MINUTE: '30',
      TRUST_PROXY: 'true',
      REPLY_LOCK_TTL_MS: '5000',
      LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      mongodbUri: 'mongodb://db.internal:27017/chat',
      embeddedDatabase: 'mongod',
      allowedOrigins: ['https://a.example', 'https://b.example'],
      bodyLimit: 256 * 1024,
      rateLimits: { perTokenPerMinute: 30 },
      trustProxy: true,
      replyLockTtlMs: 5000,
      logLevel: 'warn',
    });
  });

  it('parses the settings of tokens, metrics and framing, with safe defaults', () => {
    expect(loadServerConfig({})).toMatchObject({ identifiedTokenExpiryMs: 30 * 86_400_000, metricsToken: undefined, metricsPublic: false, frameAncestors: [] });
    const config = loadServerConfig({
      IDENTIFIED_TOKEN_EXPIRY: '12h',
      METRICS_TOKEN: 'a-metrics-token-of-some-length',
      METRICS_PUBLIC: 'true',
      FRAME_ANCESTORS: "self, https://intranet.example 'self'",
    });
    expect(config).toMatchObject({
      identifiedTokenExpiryMs: 12 * 3_600_000,
      metricsToken: 'a-metrics-token-of-some-length',
      metricsPublic: true,
      frameAncestors: ["'self'", 'https://intranet.example', "'self'"],
    });
  });

  it.each([
    [{ IDENTIFIED_TOKEN_EXPIRY: '30 days' }, 'IDENTIFIED_TOKEN_EXPIRY'],
    [{ IDENTIFIED_TOKEN_EXPIRY: '30s' }, 'IDENTIFIED_TOKEN_EXPIRY'],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN'],
    [{ METRICS_PUBLIC: 'sure' }, 'METRICS_PUBLIC'],
    [{ FRAME_ANCESTORS: '*' }, 'FRAME_ANCESTORS'],
    [{ FRAME_ANCESTORS: "https://a.example 'unsafe-inline'" }, 'FRAME_ANCESTORS'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ MONGODB_URI: 'postgres://x' }, 'MONGODB_URI'],
    [{ EMBEDDED_DATABASE: 'mongodb' }, 'EMBEDDED_DATABASE'],
    [{ IDENTITY_SECRET: 'short' }, 'IDENTITY_SECRET'],
    [{ BODY_LIMIT: 'a lot' }, 'BODY_LIMIT'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ REPLY_LOCK_TTL_MS: '500' }, 'REPLY_LOCK_TTL_MS'],
    [{ REPLY_LOCK_TTL_MS: '30s' }, 'REPLY_LOCK_TTL_MS'],
    [{ ALLOWED_ORIGINS: 'not a url' }, 'ALLOWED_ORIGINS'],
    [{ AI_CHAT_MODELS: '[{"id":"x","provider":"openai-compatible","baseURL":"nope"}]' }, 'AI_CHAT_MODELS'],
    [{ AI_CHAT_MODELS: 'not json' }, 'AI_CHAT_MODELS'],
  ])('stops on %j with a message naming %s', (env, variable) => {
    expect(() => loadServerConfig(env)).toThrow(ConfigurationError);
    expect(() => loadServerConfig(env)).toThrow(variable);
  });
});
