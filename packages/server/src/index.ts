/**
 * `@ai-chat/server`: the ai-chat server as a Koa app (`createChatApp`), a router to mount in an existing Koa app
 * (`createChatRouter`), and `startServer` / the `ai-chat-server` CLI.
 * @module
 */
export { createChatApp, type ChatApp, type ChatAppOptions } from './app.js';
export { createChatRouter, type ChatRouter, type ChatRouterOptions } from './chat-router.js';
export { ConfigurationError, EnvironmentSchema, loadServerConfig, type ServerConfig } from './config.js';
export { connectDatabase, openDatabase, type ConnectDatabaseOptions, type Database } from './database/connect-database.js';
export { findDatabase, redactUri, type DatabaseKind, type FindDatabaseOptions, type FoundDatabase } from './database/find-database.js';
export { AppError } from './errors/app-error.js';
export { createModels, ensureIndexes, type Models } from './models/index.js';
export { createLogger, type CreateLoggerOptions } from './observability/logger.js';
export { createMetrics, type Metrics } from './observability/metrics.js';
export { configuredSecrets } from './providers/configured-secrets.js';
export { createModelRegistry, type ModelRegistry } from './providers/model-registry.js';
export { loadModelsConfig, type ModelsConfig } from './providers/models-config.js';
export { startServer, type RunningServer, type StartServerOptions } from './server.js';
export { describeStartupFailure, ListenError } from './startup-failure.js';
