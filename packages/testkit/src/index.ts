/**
 * `@ai-chat/testkit` (private): what the tests of several packages share. Fake OpenAI and Anthropic servers that
 * speak each vendor's real stream format, a real ai-chat server on a loopback port, a database of each test's own,
 * a database proxy that can fail commands, and the Chromium helpers. Never published; tests import it by name, never by path.
 * @module
 */
export * from './browser.js';
export * from './database-proxy.js';
export * from './fake-vendors.js';
export * from './start-test-server.js';
export * from './test-database.js';
