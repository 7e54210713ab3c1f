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
  chat: { stream(params: { sessionId: string; content: string; clientMessageId?: string; signal?: AbortSignal }): ChatStreamLike };
};
