/** One turn of the conversation sent upstream. */
export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

/** What the chat service asks a model for: the conversation (oldest first, the new message last) and a stop signal. */
export interface ChatModelRequest {
  system?: string | undefined;
  messages: ChatTurn[];
  signal: AbortSignal;
}

/** Token counts a model reported for one reply. */
export interface ChatModelUsage {
  inputTokens: number;
  outputTokens: number;
}

/** What a model streams back: text as it comes, then one finish. */
export type ChatModelPart =
  | { type: 'text-delta'; delta: string }
  | { type: 'finish'; usage?: ChatModelUsage | undefined };

/** Where a model's replies come from. */
export type ProviderKind = 'demo' | 'openai' | 'anthropic' | 'openai-compatible';

/** A model the deployment offers, as the chat service sees it: an id, how to show it, and a way to stream a reply. */
export interface ChatModel {
  /** Our id, e.g. "gpt-4o-mini" or "demo". */
  readonly id: string;
  readonly label: string;
  readonly provider: ProviderKind;
  readonly isDefault: boolean;
  /** The model's own system prompt, if its configuration gives one (the prompt policy falls back to the deployment's). */
  readonly systemPrompt?: string | undefined;
  /**
   * Streams a reply. Throws (from the iterator) a ProviderError on any failure, also mid-stream, and an error named
   * `AbortError` when `request.signal` is aborted.
   */
  stream(request: ChatModelRequest): AsyncIterable<ChatModelPart>;
}
