/**
 * `@ai-chat/sdk/protocol`: the contract's zod schemas and types, re-exported from `@ai-chat/protocol` for code written
 * against earlier releases. New code imports `@ai-chat/protocol` directly. Needs `zod` installed.
 * @module
 */
export * from '@ai-chat/protocol';
