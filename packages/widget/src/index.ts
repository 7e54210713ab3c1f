/**
 * `@ai-chat/widget`: the `<ai-chat>` element. Importing this module registers the element.
 * @module
 */
import { defineAiChat } from './define-ai-chat.js';

export { AiChat } from './ai-chat.js';
export { defineAiChat } from './define-ai-chat.js';
export { ChatController } from './chat.controller.js';
export type { ChatClientLike, ChatStreamLike } from './chat-client-like.js';
export * from './events.js';
export { DEFAULT_STRINGS, type AiChatStrings } from './strings.js';
export { renderMarkdown, type MarkdownContent, type MarkdownOptions } from './render-markdown.js';

defineAiChat();
