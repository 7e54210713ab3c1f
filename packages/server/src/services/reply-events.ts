import type { ChatEvent, ChatEventOf, Message } from '@ai-chat/protocol';
import type { AppError } from '../errors/app-error.js';

/**
 * The events of one reply, for any number of readers that may arrive at any time: each reading starts with
 * `message-start`, the latest `session-update`, and the text so far as one `text-delta`, then follows live until
 * the reply's final events. A reader that leaves early costs the reply nothing.
 */
export class ReplyEvents {
  readonly #start: ChatEventOf<'message-start'>;
  readonly #readers = new Set<EventQueue>();
  #session: ChatEventOf<'session-update'> | undefined;
  #text = '';
  #final: ChatEvent[] | undefined;

  constructor(start: ChatEventOf<'message-start'>) {
    this.#start = start;
  }

  /** Whether the final events were given. */
  get hasEnded(): boolean {
    return this.#final !== undefined;
  }

  /** Sends an event to every reader (ignored once the reply has ended). */
  push(event: ChatEvent): void {
    if (this.#final) return;
    if (event.type === 'text-delta') this.#text += event.delta;
    if (event.type === 'session-update') this.#session = event;
    for (const reader of this.#readers) reader.put(event);
  }

  /** Sends the final events (ending with `message-end`) and ends every reading; later calls are ignored. */
  end(events: ChatEvent[]): void {
    if (this.#final) return;
    this.#final = events;
    for (const reader of this.#readers) {
      events.forEach((event) => reader.put(event));
      reader.close();
    }
    this.#readers.clear();
  }

  /**
   * Ends the readings of a reply that could not be written or followed to its end: an `error` event, then
   * `message-end` with the message as last known, in status `error`. Returns that message.
   */
  fail(error: AppError, message: Message): Message {
    const ended: Message = { ...message, status: 'error', error: { type: error.type, message: error.message } };
    this.end([
      { type: 'error', error: { type: error.type, message: error.message } },
      { type: 'message-end', message: ended },
    ]);
    return ended;
  }

  /** A new reading, from `message-start` to the end. */
  read(): AsyncIterable<ChatEvent> {
    return {
      [Symbol.asyncIterator]: () => {
        const reader = new EventQueue(this.#catchUp(), () => this.#readers.delete(reader));
        if (this.#final) reader.close();
        else this.#readers.add(reader);
        return reader;
      },
    };
  }

  #catchUp(): ChatEvent[] {
    const events: ChatEvent[] = [this.#start];
    if (this.#session) events.push(this.#session);
    if (this.#text) events.push({ type: 'text-delta', messageId: this.#start.assistantMessage.id, delta: this.#text });
    return [...events, ...(this.#final ?? [])];
  }
}

/** One reader's queue of events: filled by the reply, drained by `for await`. */
class EventQueue implements AsyncIterator<ChatEvent> {
  #items: ChatEvent[];
  #isClosed = false;
  #wake: (() => void) | undefined;

  constructor(
    items: ChatEvent[],
    private readonly onLeave: () => void,
  ) {
    this.#items = items;
  }

  put(event: ChatEvent): void {
    this.#items.push(event);
    this.#notify();
  }

  close(): void {
    this.#isClosed = true;
    this.#notify();
  }

  async next(): Promise<IteratorResult<ChatEvent>> {
    for (;;) {
      const event = this.#items.shift();
      if (event) return { value: event, done: false };
      if (this.#isClosed) return { value: undefined, done: true };
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  async return(): Promise<IteratorResult<ChatEvent>> {
    this.#items = [];
    this.close();
    this.onLeave();
    return { value: undefined, done: true };
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
