import type { ChatClient } from '@ai-chat/sdk';
import type { ChatEvent, Message, SessionSummary } from '@ai-chat/protocol';

/** A reply being streamed: the events of `POST /api/chat`, and a way to stop listening. */
export interface ChatStreamLike extends AsyncIterable<ChatEvent> {
  abort(): void;
}

/** What `chat.stream` is asked for: a new message, a new version of the last reply, or of a user message. */
export interface ChatStreamParams {
  sessionId: string;
  content?: string;
  clientMessageId?: string;
  /** A new version of the session's last reply (no `content`), by `model` when given. */
  regenerate?: true;
  model?: string;
  /** A new version of this user message, with `content`, and a new reply to it. */
  editOf?: string;
  signal?: AbortSignal;
}

/** Where a search found a session in its messages (`GET /api/sessions?q=`). */
export interface SearchMatch {
  messageId: string;
  snippet: string;
  /** `[start, end)` ranges of the matched words in the snippet. */
  highlights?: Array<[number, number]>;
}

/** A session in a search's results. */
export type SearchResult = SessionSummary & { match?: SearchMatch };

/** The SDK calls of CONTRACT.md section 4 the element uses (versions, ratings, search, starters). */
export interface ChatClientAdditions {
  messages: {
    show(id: string, options?: { signal?: AbortSignal }): Promise<Message[]>;
    feedback(id: string, body: { rating: 'up' | 'down' | null; reason?: string }, options?: { signal?: AbortSignal }): Promise<Message>;
  };
  sessions: {
    list(query: { q?: string; limit?: number; cursor?: string }, options?: { signal?: AbortSignal }): Promise<{ sessions: SearchResult[]; nextCursor: string | null }>;
  };
  config: {
    retrieve(options?: { signal?: AbortSignal }): Promise<{ starters?: Array<{ prompt: string; label?: string }> }>;
  };
}

/**
 * The part of the SDK's `ChatClient` the element uses. A host may hand in a `ChatClient` (or a test double of
 * these resources) through the element's `client` property.
 */
export type ChatClientLike = Pick<ChatClient, 'users' | 'sessions' | 'messages' | 'models'> & {
  /** `model`: the model that writes the reply (the session moves to it); absent when joining a reply being written. */
  chat: { stream(params: ChatStreamParams): ChatStreamLike };
  /** The server's limits and starters (`GET /api/config`); a client without it gets this version's defaults. */
  config?: Pick<ChatClient['config'], 'retrieve'>;
} & {
  messages: Partial<ChatClientAdditions['messages']>;
};
