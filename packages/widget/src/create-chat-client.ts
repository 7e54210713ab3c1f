import { ChatClient } from '@ai-chat/sdk';
import type { ChatClientLike } from './chat-client-like.js';

/** Makes the SDK client the element uses when the host page gives none; the SDK keeps one visitor per server. */
export function createChatClient(baseUrl: string, userToken: string | undefined): ChatClientLike {
  return new ChatClient({ baseUrl, userToken });
}
