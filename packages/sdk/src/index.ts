/**
 * `@ai-chat/sdk`: a small typed client for the ai-chat server.
 * @module
 */
export type * from './protocol/index.js';
