import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { Attempt } from './attempt.js';

/**
 * Reads a `text/event-stream` body into whole events, however the bytes were split: the streaming decoder holds back
 * a multi-byte character cut between two chunks, and the parser holds back a partial line (CRLF, LF or CR ends) and
 * skips comment lines such as `: ping`. Each chunk restarts the attempt's timer, so only silence times out.
 */
export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
  attempt: Attempt,
): AsyncGenerator<EventSourceMessage> {
  const parsed: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => parsed.push(message) });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      attempt.restartTimer();
      parser.feed(decoder.decode(value, { stream: true }));
      yield* parsed.splice(0);
    }
  } finally {
    // Leaving early (the caller stopped iterating) must close the connection rather than leave it open.
    reader.cancel().catch(() => undefined);
  }
}
