/**
 * `@ai-chat/sdk`: a small typed client for the ai-chat server, for browsers and Node 20+.
 * @module
 */
export type * from '@ai-chat/protocol';
export { ChatClient, tokenStorageKey, type ChatClientOptions } from './chat-client.js';
export { ChatStream, type ChatStreamEvent } from './chat-stream.js';
export {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ChatError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PayloadTooLargeError,
  ProviderError,
  RateLimitError,
  UnavailableError,
  UnsupportedMediaTypeError,
  type ChatErrorType,
} from './errors.js';
export type { RequestOptions } from './request-options.js';
export { createMemoryStorage, type ChatStorage } from './storage.js';
export type { Chat, ChatParams } from './resources/chat.js';
export type { Config } from './resources/config.js';
export type { Messages, MessageListParams } from './resources/messages.js';
export type { Models } from './resources/models.js';
export type { Sessions, SessionListParams } from './resources/sessions.js';
export type { Users } from './resources/users.js';
