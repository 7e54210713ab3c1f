/**
 * `@ai-chat/widget`: the `<ai-chat>` element. Importing this module registers the element.
 * @module
 */
import { defineAiChat } from './define-ai-chat.js';

export { AiChat } from './ai-chat.js';
export { defineAiChat } from './define-ai-chat.js';
export { ChatController } from './controllers/chat.controller.js';
export { ConnectionController, type ChatFailure, type ChatHost, type Scope } from './controllers/connection.controller.js';
export { SessionsController } from './controllers/sessions.controller.js';
export { ConversationController } from './controllers/conversation.controller.js';
export { VersionsController } from './controllers/reply-versions.controller.js';
export type { SessionMessages } from './controllers/message-history.js';
export type { ChatClientLike, ChatStreamLike } from './chat-client-like.js';
export * from './events.js';
export { DEFAULT_STRINGS, type AiChatStrings } from './strings.js';
export { LOCALE_TAGS, type LocaleTag, type Strings } from './i18n/catalog.js';
export { LocaleController, type LocaleHost } from './i18n/locale.controller.js';
export { resolveLocale, isRightToLeft, type ResolvedLocale } from './i18n/resolve-locale.js';
export { formatMessage, type MessageValues } from './i18n/format-message.js';
export { describeError } from './i18n/describe-error.js';
export { renderMarkdown, type MarkdownContent, type MarkdownOptions } from './render-markdown.js';

defineAiChat();
