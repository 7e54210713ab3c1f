/**
 * The contract of ai-chat as zod schemas and the types inferred from them. The server validates every request with
 * these; the SDK's main entry imports only their types, so zod never reaches a browser bundle.
 * @module
 */
export * from './common.js';
export * from './errors.js';
export * from './users.js';
export * from './models.js';
export * from './messages.js';
export * from './sessions.js';
export * from './chat.js';
export * from './config.js';
