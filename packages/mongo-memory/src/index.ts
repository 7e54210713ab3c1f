/**
 * For tests and offline development only: an in-process server that speaks MongoDB's wire protocol.
 * @module
 */
export { startMongoMemory, type MongoMemoryOptions, type MongoMemoryServer } from './start-mongo-memory.js';
export { DatabaseFileError } from './persistence/database-file.js';
export { DirectoryInUseError } from './persistence/lock-directory.js';
