#!/usr/bin/env node
import { ConfigurationError, loadServerConfig } from './config.js';
import { createLogger } from './observability/logger.js';
import { logUnhandledRejections } from './observability/process-errors.js';
import { startServer } from './server.js';
import { describeStartupFailure } from './startup-failure.js';

/** `ai-chat-server`: starts ai-chat from environment variables and shuts down cleanly on Ctrl+C or SIGTERM. */
async function main(): Promise<void> {
  const config = loadServerConfig(process.env);
  // People running the server in a terminal get readable lines; anything else (a container, a file) gets JSON.
  const pretty = process.stdout.isTTY && process.env.LOG_FORMAT !== 'json';
  const logger = createLogger({
    level: config.logLevel,
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname,name', translateTime: 'HH:MM:ss' } } } : {}),
  });
  logUnhandledRejections(logger);
  const server = await startServer(config, { logger });
  const models = server.modelRegistry.list();
  logger.info(`models: ${models.map((model) => `${model.id} (${model.provider}${model.default ? ', default' : ''})`).join(', ')}`);
  logger.info(`ai-chat is running: open ${server.url}`);
  console.log(`\n  ai-chat is running at ${server.url}\n  database: ${server.database.found.description}\n  models: ${models.map((model) => model.id).join(', ')}\n`);

  let stoppingSince: number | undefined;
  const shutdown = (signal: string) => {
    // Ctrl+C under `npm start` arrives twice at once (from the terminal and forwarded by npm): only a signal sent
    // again later means "do not wait".
    if (stoppingSince !== undefined) {
      if (Date.now() - stoppingSince < 2000) return;
      logger.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    stoppingSince = Date.now();
    logger.info(`${signal}: finishing open replies and shutting down`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  const reason = describeStartupFailure(error);
  if (reason) console.error(`ai-chat-server: ${reason}`);
  else console.error('ai-chat-server failed to start:', error);
  // 78 (EX_CONFIG) for a wrong setting, as before; 1 for anything else.
  process.exit(error instanceof ConfigurationError ? 78 : 1);
});
