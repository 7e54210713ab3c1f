import {
  configuredSecrets,
  createLogger,
  loadServerConfig,
  startServer,
  type ChatApp,
  type ChatAppOptions,
  type Database,
  type ModelRegistry,
} from '@ai-chat/server';
import { testDatabaseUri } from './test-database.js';

/** The identity secret test servers share with the tests that sign identity tokens. */
export const TEST_IDENTITY_SECRET = 'test-identity-secret-that-is-long-enough-0123456789';

/** Options of {@link startTestServer}. */
export interface TestServerOptions {
  /** Configuration variables (`AI_CHAT_MODELS`, `OPENAI_API_KEY`, …); the demo model replies fast by default. */
  env?: Record<string, string | undefined>;
  /** A database of its own on the run's MongoDB unless given (e.g. to share one between two servers). */
  databaseUri?: string;
  /** Overrides for the app: rate limits, reply timing, allowed origins, body limit, … */
  app?: Partial<ChatAppOptions>;
}

/** An ai-chat server on a loopback port for tests, with every log line it wrote. */
export interface TestServer {
  url: string;
  databaseUri: string;
  app: ChatApp;
  /** The server's own connection and models, for tests that look at or arrange what is stored. */
  database: Database;
  modelRegistry: ModelRegistry;
  identitySecret: string;
  /** Every log line, as written (JSON), for tests that check what is (never) logged. */
  logs: string[];
  close(): Promise<void>;
}

/**
 * Starts a real ai-chat server (the same `startServer` the CLI runs) on 127.0.0.1 with a random port, its own
 * database on the run's MongoDB, the demo model at a fast pace (unless `env` says otherwise) and rate limits high
 * enough not to disturb tests.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const databaseUri = options.databaseUri ?? testDatabaseUri('server');
  const config = loadServerConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_URI: databaseUri,
    IDENTITY_SECRET: TEST_IDENTITY_SECRET,
    AI_CHAT_DEMO_DELAY_MS: '2',
    // Tests read /metrics freely; the tests of /metrics itself turn this off (`METRICS_PUBLIC: undefined`).
    METRICS_PUBLIC: 'true',
    ...options.env,
  });
  const logs: string[] = [];
  // The logger the CLI would make for this configuration: every line scrubbed of the configured API keys.
  const logger = createLogger({ level: 'debug', secrets: configuredSecrets(config.models) }, { write: (line: string) => void logs.push(line) });
  const server = await startServer(config, {
    logger,
    app: {
      rateLimits: { perTokenPerMinute: 10_000, perIpPerMinute: 10_000, chatPerMinute: 10_000 },
      chat: { flushIntervalMs: 100, pingIntervalMs: 15_000 },
      ...options.app,
    },
  });
  return {
    url: server.url,
    databaseUri,
    app: server.app,
    database: server.database,
    modelRegistry: server.modelRegistry,
    identitySecret: TEST_IDENTITY_SECRET,
    logs,
    close: server.close,
  };
}
