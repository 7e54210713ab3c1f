/**
 * `@ai-chat/server`: the ai-chat server.
 * @module
 */
export { findDatabase, type FoundDatabase, type DatabaseKind, type FindDatabaseOptions } from './database/find-database.js';
