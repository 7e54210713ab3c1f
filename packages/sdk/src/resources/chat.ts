import { ChatStream, type ChatStreamEvent } from '../chat-stream.js';
import { APIConnectionError, APIError } from '../errors.js';
import type { Attempt } from '../internal/attempt.js';
import { requestWithToken } from '../internal/client-context.js';
import { createClientMessageId } from '../internal/create-client-message-id.js';
import { readServerSentEvents } from '../internal/read-server-sent-events.js';
import { computeRetryDelay, isRetryable } from '../internal/retry-delay.js';
import { sleep } from '../internal/sleep.js';
import type { ChatEvent, ChatRequest, ChatResponse } from '@ai-chat/protocol';
import type { RequestOptions } from '../request-options.js';
import { ApiResource } from './api-resource.js';

/**
 * What to send: a new message (`content`), a new version of the last reply (`regenerate: true`, optionally with the
 * `model` picked now), or a new version of a user message (`editOf` with the new `content`). `clientMessageId` is
 * generated when omitted, and makes every retry of it harmless. `signal` may come here (as the contract shows it) or
 * in the request options.
 */
export type ChatParams = ChatRequest & { signal?: AbortSignal | undefined };

/** `chat.send()` waits for the whole reply, so it waits longer than other calls unless told otherwise. */
const SEND_TIMEOUT_MS = 5 * 60_000;

/** Sending messages and receiving the AI's reply (`POST /api/chat`). */
export class Chat extends ApiResource {
  /**
   * Sends a message and streams the reply as it is written. Retried (with the same `clientMessageId`, so the
   * server never stores the message twice) only until `message-start` arrives.
   * @example
   * const stream = client.chat.stream({ sessionId, content: 'Hello!' });
   * for await (const event of stream) {
   *   if (event.type === 'text-delta') output.textContent += event.delta;
   * }
   * const message = await stream.finalMessage();
   * @example
   * // A new version of the last reply, by the model picked now; the earlier one stays (step with messages.show).
   * const again = client.chat.stream({ sessionId, regenerate: true, model: 'gpt-4o' });
   * // A new version of a user message and a new reply to it.
   * const edited = client.chat.stream({ sessionId, editOf: userMessage.id, content: 'What about Porto?' });
   */
  stream(params: ChatParams, options: RequestOptions = {}): ChatStream {
    const { signal, ...request } = params;
    const controller = new AbortController();
    // Linked by hand rather than with AbortSignal.any, which browsers from before 2024 lack.
    for (const source of [signal, options.signal]) {
      if (source?.aborted) controller.abort();
      source?.addEventListener('abort', () => controller.abort(), { once: true });
    }
    const body = { ...request, clientMessageId: request.clientMessageId ?? createClientMessageId() };
    return new ChatStream(this.#streamWithRetries(body, { ...options, signal: controller.signal }), controller);
  }

  /**
   * Sends a message and waits for the whole reply (JSON mode); both messages come back as stored. A provider
   * failure is a `ProviderError`, not retried, since the server already stored the failed reply.
   * @example
   * const { assistantMessage } = await client.chat.send({ sessionId, content: 'Hello!' });
   */
  send(params: ChatParams, options: RequestOptions = {}): Promise<ChatResponse> {
    const { signal, ...fields } = params;
    const body = { ...fields, clientMessageId: fields.clientMessageId ?? createClientMessageId() };
    const request = { method: 'POST', path: '/api/chat', body, isRetrySafe: true } as const;
    return requestWithToken(this.context, request, { timeout: SEND_TIMEOUT_MS, ...options, signal: options.signal ?? signal });
  }

  /** Once `message-start` has arrived the reply exists on the server: a retry then would replay it, so only a
   * failure before it is retried. */
  async *#streamWithRetries(body: ChatRequest, options: RequestOptions): AsyncGenerator<ChatStreamEvent> {
    const maxRetries = options.maxRetries ?? this.context.maxRetries;
    for (let retry = 1; ; retry++) {
      let hasStarted = false;
      try {
        for await (const event of this.#streamOnce(body, options)) {
          hasStarted ||= event.type === 'message-start';
          yield event;
        }
        return;
      } catch (error) {
        if (hasStarted || retry > maxRetries || !isRetryable(error)) throw error;
        await sleep(computeRetryDelay(retry, error), options.signal);
      }
    }
  }

  async *#streamOnce(body: ChatRequest, options: RequestOptions): AsyncGenerator<ChatStreamEvent> {
    const request = { method: 'POST', path: '/api/chat', body, accept: 'text/event-stream', isRetrySafe: true } as const;
    const { response, attempt } = await this.context.identity.callWithToken(options, (token) =>
      this.context.transport.send({ ...request, token }, { ...options, maxRetries: 0 }, async (response, attempt) => ({ response, attempt })),
    );
    try {
      yield* readChatEvents(response, attempt);
    } catch (error) {
      throw attempt.toError(error);
    } finally {
      attempt.finish();
    }
  }
}

/** Turns the SSE messages of one response into typed events, throwing the stream's `error` event as an error. */
async function* readChatEvents(response: Response, attempt: Attempt): AsyncGenerator<ChatStreamEvent> {
  if (!response.body) throw new APIConnectionError('The response has no body.');
  let hasEnded = false;
  for await (const message of readServerSentEvents(response.body, attempt)) {
    if (!message.event || !KNOWN_EVENTS.has(message.event)) continue;
    const event = { ...parseData(message.data), type: message.event } as ChatEvent;
    if (event.type === 'error') throw APIError.generate(undefined, event, undefined, response.headers);
    hasEnded ||= event.type === 'message-end';
    yield event;
  }
  if (!hasEnded) throw new APIConnectionError('The stream ended before the reply did.');
}

/** Events this SDK knows; a newer server may add others, which are skipped rather than mistyped. */
const KNOWN_EVENTS = new Set<string>(['message-start', 'text-delta', 'session-update', 'message-end', 'error']);

function parseData(data: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(data);
    if (typeof value === 'object' && value !== null) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new APIConnectionError(`The server sent an event that is not JSON: ${data.slice(0, 100)}`);
}
