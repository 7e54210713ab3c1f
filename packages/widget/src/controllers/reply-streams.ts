import type { ChatEvent } from '@ai-chat/protocol';
import type { ChatStreamLike, ChatStreamParams } from '../chat-client-like.js';
import { AiErrorEvent, AiResponseEndEvent } from '../events.js';
import type { ChatHost, Scope } from './connection.controller.js';
import { DeltaBuffer } from './delta-buffer.js';
import { endedReply, findQuestion, isAbort, mergeStart, replaceMessage, toChatError, type SessionMessages } from './message-history.js';
import type { SessionsController } from './sessions.controller.js';

/** How a followed stream ended: whether the server started the reply, and the error it ended with, if any. */
export interface FollowOutcome {
  started: boolean;
  error: unknown;
}

/** A reply being followed, and a promise that settles when it ends (a send waiting for it goes next). */
export interface TrackedStream {
  stream: ChatStreamLike;
  done: Promise<void>;
}

/**
 * The loaded messages of each session and the replies being streamed into them: what the conversation, its sends and
 * its versions share (`ChatController` makes one and hands it to each).
 */
export interface SharedMessages {
  histories: Map<string, SessionMessages>;
  streams: ReplyStreams;
}

/** The loaded messages of no session yet, with no reply being streamed. */
export function createSharedMessages(host: ChatHost, sessions: SessionsController): SharedMessages {
  const histories = new Map<string, SessionMessages>();
  return { histories, streams: new ReplyStreams(host, sessions, histories) };
}

/**
 * The replies being streamed, at most one per session: follows each into the messages of its session (text painted
 * once per frame), fires `ai-response-end` and `ai-error`, and forgets a stream when it ends (only that stream).
 */
export class ReplyStreams {
  readonly #host: ChatHost;
  readonly #sessions: SessionsController;
  readonly #histories: Map<string, SessionMessages>;
  readonly #streams = new Map<string, TrackedStream>();
  readonly #deltas = new DeltaBuffer((messageId, { sessionId, text, isRestart }) => {
    const history = this.#histories.get(sessionId);
    if (history) replaceMessage(history, messageId, (message) => ({ ...message, content: isRestart ? text : message.content + text }));
    this.#host.requestUpdate();
  });

  /** `histories` is the conversation's map of loaded messages, which the streams write into. */
  constructor(host: ChatHost, sessions: SessionsController, histories: Map<string, SessionMessages>) {
    this.#host = host;
    this.#sessions = sessions;
    this.#histories = histories;
  }

  /** The reply being streamed in a session, if any. */
  get(sessionId: string): TrackedStream | undefined {
    return this.#streams.get(sessionId);
  }

  /** Whether a reply is being streamed in a session. */
  has(sessionId: string): boolean {
    return this.#streams.has(sessionId);
  }

  /** Stops following every reply (another server or user). */
  abortAll(): void {
    for (const { stream } of this.#streams.values()) stream.abort();
    this.#streams.clear();
    this.#deltas.clear();
  }

  /**
   * Follows a reply that was still being written when its session loaded (a reload mid-reply, or another tab): the
   * same content and `clientMessageId` again make the server join the live reply instead of storing anything.
   */
  resumeIfWriting(scope: Scope, sessionId: string): Promise<FollowOutcome> | undefined {
    const messages = this.#histories.get(sessionId)?.messages ?? [];
    const reply = messages.at(-1);
    if (reply?.role !== 'assistant' || reply.status !== 'streaming' || this.#streams.has(sessionId)) return undefined;
    const question = findQuestion(messages, messages.length - 1);
    if (!question?.clientMessageId) return undefined;
    return this.follow(scope, sessionId, question.content, question.clientMessageId, reply.id);
  }

  /**
   * Streams the reply to a message (sent, retried or resumed; or a regenerated or edited turn, whose request is given
   * whole as `content`) into the message shown as `replyId`. `model` (a send or a Retry) is the model that writes it.
   * A new turn that fails before the server started it is left to the caller (nothing was stored: the turn is taken
   * back); any other failure ends the reply shown as failed. The visitor's other views hear of the new messages and of
   * the session's changes.
   */
  async follow(scope: Scope, sessionId: string, content: string | ChatStreamParams, clientMessageId: string, replyId: string, options: { model?: string | undefined; isNewTurn?: boolean } = {}): Promise<FollowOutcome> {
    const params: ChatStreamParams = typeof content === 'string' ? { sessionId, content, clientMessageId } : content;
    const stream = scope.client.chat.stream({ ...params, ...(options.model ? { model: options.model } : {}), signal: scope.signal });
    let finish = () => {};
    const tracked: TrackedStream = { stream, done: new Promise<void>((resolve) => (finish = resolve)) };
    const outcome: FollowOutcome = { started: false, error: null };
    this.#streams.set(sessionId, tracked);
    this.#host.requestUpdate();
    try {
      for await (const event of stream) {
        if (scope.signal.aborted) break;
        if (event.type === 'message-start') {
          outcome.started = true;
          scope.sync.post({ type: 'messages', sessionId });
        }
        replyId = this.#apply(sessionId, event, replyId);
        if (event.type === 'message-end') scope.sync.post({ type: 'messages', sessionId });
        if (event.type === 'session-update') scope.sync.post({ type: 'session', session: event.session });
      }
    } catch (error) {
      outcome.error = error;
      if (!scope.signal.aborted && (outcome.started || !options.isNewTurn || isAbort(error))) this.#fail(sessionId, replyId, error);
    } finally {
      // Only this stream leaves: a newer one in the same session (a queued send) stays tracked.
      if (this.#streams.get(sessionId) === tracked) this.#streams.delete(sessionId);
      finish();
      if (!scope.signal.aborted) this.#host.requestUpdate();
    }
    return outcome;
  }

  #apply(sessionId: string, event: ChatEvent, replyId: string): string {
    const history = this.#histories.get(sessionId);
    if (!history) return replyId;
    switch (event.type) {
      case 'message-start':
        if (mergeStart(history, event, replyId)) this.#deltas.restart(event.assistantMessage.id);
        replyId = event.assistantMessage.id;
        break;
      case 'text-delta':
        this.#deltas.push(sessionId, event.messageId, event.delta);
        return event.messageId;
      case 'session-update':
        this.#sessions.upsert(event.session);
        break;
      case 'message-end':
        this.#deltas.flush();
        this.#deltas.settle(event.message.id);
        replaceMessage(history, event.message.id, () => event.message);
        this.#host.dispatchEvent(new AiResponseEndEvent(event.message));
        if (event.message.status === 'error') this.#host.dispatchEvent(new AiErrorEvent(toChatError(event.message.error)));
        break;
      case 'error':
        throw toChatError(event.error);
    }
    this.#host.requestUpdate();
    return replyId;
  }

  #fail(sessionId: string, replyId: string, error: unknown): void {
    this.#deltas.flush();
    const history = this.#histories.get(sessionId);
    if (history) replaceMessage(history, replyId, (reply) => endedReply(reply, error));
    if (!isAbort(error)) this.#host.dispatchEvent(new AiErrorEvent(error));
  }
}
