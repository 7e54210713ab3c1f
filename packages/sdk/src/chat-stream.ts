import { ChatError } from './errors.js';
import type { ChatEvent, Message } from '@ai-chat/protocol';

/**
 * The events a `ChatStream` yields. The stream's `error` event is not among them: it is thrown from the iterator
 * (and from `text()` and `finalMessage()`) as a typed error instead.
 */
export type ChatStreamEvent = Exclude<ChatEvent, { type: 'error' }>;

/**
 * A reply being streamed: iterate it with `for await` to get each event as it arrives, or await `text()` or
 * `finalMessage()` for the end result. The request starts at once; `abort()` (or leaving the loop early) closes the
 * connection, while the server still finishes and stores the reply (stop it with `sessions.stop()`).
 */
export class ChatStream implements AsyncIterable<ChatStreamEvent> {
  /** Aborts every attempt of this stream; `abort()` is a shortcut. */
  readonly controller: AbortController;
  readonly #buffer: ChatStreamEvent[] = [];
  readonly #finished: Promise<void>;
  #wake: (() => void) | undefined;
  #isDone = false;
  #hasIterator = false;
  #error: unknown;
  #deltas = '';
  #finalMessage: Message | undefined;

  /** Used by `client.chat.stream()`; `events` is the source the stream reads from as soon as it exists. */
  constructor(events: AsyncIterable<ChatStreamEvent>, controller: AbortController) {
    this.controller = controller;
    this.#finished = this.#pump(events);
    // The failure is kept and surfaced by whichever of the iterator, text() or finalMessage() the caller uses.
    this.#finished.catch(() => undefined);
  }

  /**
   * Each event in order: `message-start`, many `text-delta`, maybe `session-update`, then `message-end`.
   * @example
   * for await (const event of client.chat.stream({ sessionId, content: 'Hello' })) {
   *   if (event.type === 'text-delta') process.stdout.write(event.delta);
   * }
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<ChatStreamEvent, void, undefined> {
    if (this.#hasIterator) throw new ChatError('A ChatStream can be iterated only once; use text() or finalMessage() for the result.');
    this.#hasIterator = true;
    try {
      for (;;) {
        const event = this.#buffer.shift();
        if (event) yield event;
        else if (this.#isDone) break;
        else await new Promise<void>((resolve) => (this.#wake = resolve));
      }
      if (this.#error !== undefined) throw this.#error;
    } finally {
      if (!this.#isDone) this.abort();
    }
  }

  /**
   * The whole reply's text once it has ended (the stored message's content).
   * @example
   * const text = await client.chat.stream({ sessionId, content: 'Hello' }).text();
   */
  async text(): Promise<string> {
    await this.#finished;
    return this.#finalMessage?.content ?? this.#deltas;
  }

  /**
   * The assistant message as stored at the end: status `complete`, `stopped` (after `sessions.stop()`) or `error`
   * (the provider failed; `message.error` says why).
   * @example
   * const message = await client.chat.stream({ sessionId, content: 'Hello' }).finalMessage();
   * if (message.status === 'error') console.warn(message.error?.message);
   */
  async finalMessage(): Promise<Message> {
    await this.#finished;
    if (!this.#finalMessage) throw new ChatError('The stream ended without a final message.');
    return this.#finalMessage;
  }

  /**
   * Closes the connection; the iterator, `text()` and `finalMessage()` then reject with `APIUserAbortError`.
   * @example
   * const stream = client.chat.stream({ sessionId, content: 'Write a long story' });
   * setTimeout(() => stream.abort(), 1000);
   */
  abort(): void {
    this.controller.abort();
  }

  async #pump(events: AsyncIterable<ChatStreamEvent>): Promise<void> {
    try {
      for await (const event of events) {
        this.#record(event);
        this.#buffer.push(event);
        this.#notify();
      }
    } catch (error) {
      this.#error = error;
      throw error;
    } finally {
      this.#isDone = true;
      this.#notify();
    }
  }

  #record(event: ChatStreamEvent): void {
    if (event.type === 'text-delta') this.#deltas += event.delta;
    if (event.type === 'message-end') this.#finalMessage = event.message;
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
