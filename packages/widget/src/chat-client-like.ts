import type { ChatClient } from '@ai-chat/sdk';
import type { ChatEvent } from '@ai-chat/protocol';

/** A reply being streamed: the events of `POST /api/chat`, and a way to stop listening. */
export interface ChatStreamLike extends AsyncIterable<ChatEvent> {
  abort(): void;
}

/**
 * The part of the SDK's `ChatClient` the element uses. A host may hand in a `ChatClient` (or a test double of
 * these resources) through the element's `client` property.
 */
export type ChatClientLike = Pick<ChatClient, 'users' | 'sessions' | 'messages' | 'models'> & {
  /** `model`: the model that writes the reply (the session moves to it); absent when joining a reply being written. */
  chat: { stream(params: { sessionId: string; content: string; clientMessageId?: string; model?: string; signal?: AbortSignal }): ChatStreamLike };
  /** The server's limits (`GET /api/config`); a client without it gets this version's defaults. */
  config?: Pick<ChatClient['config'], 'retrieve'>;
};
