import type { ChatClientLike } from './chat-client-like.js';

/** Makes the SDK client the element uses when the host page gives none. */
export function createChatClient(baseUrl: string, userToken: string | undefined): ChatClientLike {
  void baseUrl;
  void userToken;
  throw new Error('The @ai-chat/sdk ChatClient is not available yet: set the element\'s `client` property.');
}
