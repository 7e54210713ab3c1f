import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';

/** What it takes to reach one upstream model. */
export interface UpstreamSettings {
  provider: 'openai' | 'anthropic' | 'openai-compatible';
  /** The upstream's name for the model, e.g. `gpt-4o-mini` or `llama3.2`. */
  model: string;
  baseURL?: string | undefined;
  apiKey?: string | undefined;
  fetch?: typeof fetch | undefined;
}

/**
 * Builds the AI SDK language model for one configured model. The key is always passed explicitly (possibly empty
 * for an OpenAI-compatible server) so the SDKs never fall back to reading `process.env` themselves.
 */
export function createLanguageModel(settings: UpstreamSettings): LanguageModel {
  const { model, baseURL, apiKey, fetch } = settings;
  switch (settings.provider) {
    case 'openai':
      // The chat-completions API, which OpenAI-compatible proxies speak too; it asks for usage in the stream.
      return createOpenAI({ baseURL, apiKey: apiKey ?? '', fetch }).chat(model);
    case 'anthropic':
      return createAnthropic({ baseURL, apiKey: apiKey ?? '', fetch }).messages(model);
    case 'openai-compatible':
      return createOpenAICompatible({
        name: 'openai-compatible',
        baseURL: baseURL ?? 'http://127.0.0.1:11434/v1',
        ...(apiKey ? { apiKey } : {}),
        fetch,
        includeUsage: true,
      }).chatModel(model);
  }
}
