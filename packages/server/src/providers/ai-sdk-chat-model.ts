import { streamText, type LanguageModel } from 'ai';
import { createAbortError } from './abort-error.js';
import type { ChatModel, ChatModelPart, ChatModelRequest, ChatModelUsage, ProviderKind } from './chat-model.js';
import { ProviderError } from './provider-error.js';
import { toProviderError } from './to-provider-error.js';

/** How to build an AiSdkChatModel. */
export interface AiSdkChatModelOptions {
  id: string;
  label: string;
  provider: Exclude<ProviderKind, 'demo'>;
  isDefault: boolean;
  systemPrompt?: string | undefined;
  languageModel: LanguageModel;
  maxOutputTokens?: number | undefined;
  /** The API key, only so that it can be redacted from error details. */
  apiKey?: string | undefined;
}

/**
 * A model reached through the Vercel AI SDK (`streamText`). It only translates the SDK's stream into our parts and
 * its errors into ProviderErrors; timeouts and the retry live in `withResilience`, and what is sent (system prompt,
 * history) in the chat service's prompt policy.
 */
export class AiSdkChatModel implements ChatModel {
  readonly id: string;
  readonly label: string;
  readonly provider: Exclude<ProviderKind, 'demo'>;
  readonly isDefault: boolean;
  readonly systemPrompt?: string | undefined;
  readonly #options: AiSdkChatModelOptions;

  constructor(options: AiSdkChatModelOptions) {
    this.id = options.id;
    this.label = options.label;
    this.provider = options.provider;
    this.isDefault = options.isDefault;
    this.systemPrompt = options.systemPrompt;
    this.#options = options;
  }

  async *stream(request: ChatModelRequest): AsyncGenerator<ChatModelPart> {
    // Our own controller, aborted in `finally`, so that leaving the loop early also closes the upstream connection.
    const controller = new AbortController();
    const forwardAbort = () => controller.abort(request.signal.reason);
    request.signal.addEventListener('abort', forwardAbort, { once: true });
    try {
      yield* this.#translate(this.#start(request, controller.signal), request.signal);
    } finally {
      request.signal.removeEventListener('abort', forwardAbort);
      controller.abort();
    }
  }

  #start(request: ChatModelRequest, signal: AbortSignal) {
    return streamText({
      model: this.#options.languageModel,
      system: request.system || undefined,
      messages: request.messages,
      abortSignal: signal,
      maxRetries: 0,
      maxOutputTokens: this.#options.maxOutputTokens,
      // The default handler prints to the console; errors reach the caller through the stream instead.
      onError: () => {},
    });
  }

  async *#translate(result: ReturnType<typeof streamText>, signal: AbortSignal): AsyncGenerator<ChatModelPart> {
    const secrets = this.#options.apiKey ? [this.#options.apiKey] : [];
    try {
      for await (const part of result.fullStream) {
        if (part.type === 'text-delta' && part.text) yield { type: 'text-delta', delta: part.text };
        else if (part.type === 'error') throw toProviderError(part.error, secrets);
        else if (part.type === 'abort') throw createAbortError();
        else if (part.type === 'finish') {
          yield { type: 'finish', usage: toUsage(part.totalUsage) };
          return;
        }
      }
    } catch (error) {
      throw signal.aborted ? createAbortError() : toProviderError(error, secrets);
    }
    if (signal.aborted) throw createAbortError();
    throw new ProviderError('provider_bad_response', 'The AI provider ended the reply without finishing it.');
  }
}

function toUsage(usage: { inputTokens?: number | undefined; outputTokens?: number | undefined }): ChatModelUsage | undefined {
  if (usage.inputTokens === undefined && usage.outputTokens === undefined) return undefined;
  return { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 };
}
