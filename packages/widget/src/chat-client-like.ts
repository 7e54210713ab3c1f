import type { ChatEvent, ListMessagesResponse, ListSessionsResponse, Model, Session } from '@ai-chat/sdk/protocol';

/** A reply being streamed: the events of `POST /api/chat`, and a way to stop listening. */
export interface ChatStreamLike extends AsyncIterable<ChatEvent> {
  abort(): void;
}

/**
 * The part of the SDK's `ChatClient` the element uses. Typed structurally so a host may hand in a `ChatClient`
 * from its own copy of the SDK (or a test double) through the `client` property.
 */
export interface ChatClientLike {
  users: { ensure(): Promise<unknown> };
  sessions: {
    create(body: { model?: string; title?: string }): Promise<Session | { session: Session }>;
    list(query?: { limit?: number; cursor?: string }): Promise<ListSessionsResponse>;
    retrieve(id: string): Promise<Session | { session: Session }>;
    update(id: string, body: { title?: string; model?: string }): Promise<Session | { session: Session }>;
    delete(id: string): Promise<unknown>;
    stop(id: string): Promise<unknown>;
  };
  messages: { list(sessionId: string, query?: { limit?: number; before?: string }): Promise<ListMessagesResponse> };
  models: { list(): Promise<Model[] | { models: Model[] }> };
  chat: {
    stream(params: { sessionId: string; content: string; clientMessageId?: string; model?: string }): ChatStreamLike;
  };
}

/** Accepts a session as the SDK returns it, bare or wrapped in `{ session }` as on the wire. */
export function unwrapSession(value: Session | { session: Session }): Session {
  return 'session' in value ? value.session : value;
}

/** Accepts the model list bare or wrapped in `{ models }` as on the wire. */
export function unwrapModels(value: Model[] | { models: Model[] }): Model[] {
  return Array.isArray(value) ? value : value.models;
}
