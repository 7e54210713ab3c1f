import type { ChatEvent, Message, Usage } from '@ai-chat/protocol';
import { AppError } from '../errors/app-error.js';

/** What a reply left behind once it ended. */
export interface ReplyResult {
  userMessage: Message;
  assistantMessage: Message;
  usage?: Usage | undefined;
  /** Why the reply failed, as the error a caller waiting for JSON gets; absent when it completed or was stopped. */
  error?: AppError | undefined;
}

/**
 * A reply to a visitor's message, however it is produced: written by this process, written by another process and
 * followed through the database, or finished already and replayed. The SSE route reads its events; the JSON route
 * waits for its result.
 */
export interface Reply {
  /** The assistant message's id. */
  readonly id: string;
  /**
   * A new reading of the reply: `message-start`, the text written so far as one `text-delta`, then every later
   * event. It always ends with `message-end` (after an `error` event when the reply could not be followed to its
   * end) and never throws. Leaving the loop early only stops this reading; the reply goes on.
   */
  events(): AsyncIterable<ChatEvent>;
  /** Settles once the reply has ended; never rejects. */
  readonly result: Promise<ReplyResult>;
}

/** The error a JSON caller gets for a reply that ended in error: the provider's failure, as stored. */
export function failureOf(message: Message): AppError | undefined {
  if (message.status !== 'error') return undefined;
  return new AppError('provider_error', message.error?.message ?? 'The AI provider failed', {
    details: [{ path: 'assistantMessage', message: `stored as ${message.id} with status error` }],
  });
}
