import type { ProviderKind } from './chat-model.js';
import { ConfigError } from './config-error.js';
import type { ModelEntry } from './models-config-schema.js';

/** A configured model with everything resolved: upstream name, base URL and the key read from the environment. */
export interface ModelConfig {
  id: string;
  label: string;
  provider: ProviderKind;
  /** The upstream's name for the model. */
  model: string;
  baseURL?: string | undefined;
  apiKey?: string | undefined;
  isDefault: boolean;
  systemPrompt?: string | undefined;
  maxOutputTokens?: number | undefined;
}

/** A model entry and where it was written, so that errors can point at it. */
export interface SourcedEntry {
  entry: ModelEntry;
  source: string;
}

const KEY_ENV: Record<ModelEntry['provider'], string | undefined> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  'openai-compatible': undefined,
};

const BASE_URL_ENV: Record<ModelEntry['provider'], string | undefined> = {
  openai: 'OPENAI_BASE_URL',
  anthropic: 'ANTHROPIC_BASE_URL',
  'openai-compatible': undefined,
};

/**
 * Resolves one entry against the environment. OpenAI and Anthropic need a key; an OpenAI-compatible server needs a
 * base URL and a key only when its entry names one (Ollama needs none).
 */
export function resolveModelEntry({ entry, source }: SourcedEntry, env: Record<string, string | undefined>): ModelConfig {
  const baseUrlEnv = BASE_URL_ENV[entry.provider];
  const baseURL = entry.baseURL ?? (baseUrlEnv ? env[baseUrlEnv] : undefined);
  if (!entry.baseURL && baseURL && !isHttpUrl(baseURL)) throw new ConfigError(`${baseUrlEnv}: must be a URL such as https://api.example.com/v1`);
  if (entry.provider === 'openai-compatible' && !baseURL) {
    throw new ConfigError(`${source}.baseURL: is required for an openai-compatible model (e.g. http://localhost:11434/v1 for Ollama)`);
  }
  const keyEnv = entry.apiKeyEnv ?? KEY_ENV[entry.provider];
  const apiKey = entry.apiKey ?? (keyEnv ? env[keyEnv] : undefined);
  if (!apiKey && keyEnv) {
    throw new ConfigError(`${keyEnv} is required by model "${entry.id}" (${source})`);
  }
  return {
    id: entry.id,
    label: entry.label ?? entry.id,
    provider: entry.provider,
    model: entry.model ?? entry.id,
    baseURL,
    apiKey,
    isDefault: entry.default ?? false,
    systemPrompt: entry.systemPrompt,
    maxOutputTokens: entry.maxOutputTokens,
  };
}

function isHttpUrl(value: string): boolean {
  return URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol);
}
