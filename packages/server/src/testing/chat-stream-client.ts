import { createParser } from 'eventsource-parser';

/** One event of a chat stream as a test sees it: the SSE event name and its parsed data. */
export interface ReceivedEvent {
  event: string;
  data: any;
}

/** A `POST /api/chat` stream opened by a test, read with a real SSE parser. */
export interface OpenedChatStream {
  status: number;
  headers: Headers;
  /** The error body when the server refused the request. */
  errorBody?: any;
  /** Every event received so far (comments such as `: ping` are counted in `comments`). */
  events: ReceivedEvent[];
  comments: string[];
  /** Resolves once the server ends the stream. */
  ended: Promise<void>;
  /** Resolves when an event with this name arrives (or at once if it has). */
  waitFor(event: string, predicate?: (data: any) => boolean): Promise<ReceivedEvent>;
  /** Closes the connection from the client's side, as a visitor closing the tab does. */
  disconnect(): void;
}

/** Opens a chat stream against a real server and parses its events as they arrive. */
export async function openChatStream(baseUrl: string, token: string, body: Record<string, unknown>): Promise<OpenedChatStream> {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/api/chat`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'text/event-stream' },
    body: JSON.stringify(body),
    signal: controller.signal,
  });
  const events: ReceivedEvent[] = [];
  const comments: string[] = [];
  const waiters: Array<{ event: string; predicate: (data: any) => boolean; resolve: (event: ReceivedEvent) => void }> = [];
  const stream: OpenedChatStream = {
    status: response.status,
    headers: response.headers,
    events,
    comments,
    ended: Promise.resolve(),
    waitFor(event, predicate = () => true) {
      const found = events.find((received) => received.event === event && predicate(received.data));
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ event, predicate, resolve }));
    },
    disconnect: () => controller.abort(),
  };
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
    stream.errorBody = await response.json().catch(() => undefined);
    return stream;
  }
  const parser = createParser({
    onEvent(message) {
      const received = { event: message.event ?? 'message', data: JSON.parse(message.data) };
      events.push(received);
      for (const waiter of [...waiters]) {
        if (waiter.event === received.event && waiter.predicate(received.data)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(received);
        }
      }
    },
    onComment: (comment) => comments.push(comment),
  });
  stream.ended = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
  })();
  return stream;
}

/** The reply text carried by a stream's `text-delta` events. */
export function streamedText(stream: OpenedChatStream): string {
  return stream.events.filter((event) => event.event === 'text-delta').map((event) => event.data.delta).join('');
}
