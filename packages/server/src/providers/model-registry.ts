import type { Starter } from '@ai-chat/protocol';
import { AiSdkChatModel } from './ai-sdk-chat-model.js';
import type { ChatModel } from './chat-model.js';
import { ConfigError } from './config-error.js';
import { configuredSecrets } from './configured-secrets.js';
import { DemoChatModel } from './demo-model.js';
import { createLanguageModel } from './language-model-factory.js';
import type { ModelsConfig } from './models-config.js';
import type { ModelConfig } from './resolve-model-entry.js';
import { withResilience } from './resilient-model.js';

/** The models a deployment offers, looked up by our id; what `GET /api/models` lists and the chat service uses. */
export interface ModelRegistry {
  /** The `GET /api/models` shape. */
  list(): Array<{ id: string; label: string; provider: string; default: boolean }>;
  get(id: string): ChatModel | undefined;
  readonly defaultModel: ChatModel;
  /** An optional model that writes short session titles. */
  readonly titleModel?: ChatModel | undefined;
  /** The deployment-wide system prompt. */
  readonly systemPrompt?: string | undefined;
  /** Characters of history sent upstream. */
  readonly historyBudget: number;
  /** The API keys behind these models, so that logs and responses can be kept free of them. */
  readonly secrets: readonly string[];
  /** Prompts the empty conversation offers as buttons (`GET /api/config`). */
  readonly starters: Starter[];
}

/** Options for tests and embedders: `fetch` replaces the global fetch for every upstream call. */
export interface ModelRegistryOptions {
  fetch?: typeof fetch | undefined;
}

/**
 * Builds the registry from a loaded config (see `loadModelsConfig`): the demo model, and every upstream model behind
 * the AI SDK with timeouts and one early retry.
 * @example const registry = createModelRegistry(loadModelsConfig(process.env));
 */
export function createModelRegistry(config: ModelsConfig, options: ModelRegistryOptions = {}): ModelRegistry {
  const models = new Map(config.models.map((model) => [model.id, createChatModel(model, config, options)]));
  const find = (id: string | undefined, what: string) => {
    if (id === undefined) return undefined;
    const model = models.get(id);
    if (!model) throw new ConfigError(`${what}: unknown model "${id}"`);
    return model;
  };
  const defaultModel = find(config.defaultModel, 'defaultModel')!;
  const listing = [...models.values()].map((model) => ({ id: model.id, label: model.label, provider: model.provider, default: model === defaultModel }));
  return {
    list: () => listing.map((entry) => ({ ...entry })),
    get: (id) => models.get(id),
    defaultModel,
    titleModel: find(config.titleModel, 'titleModel'),
    systemPrompt: config.systemPrompt,
    historyBudget: config.historyBudget,
    secrets: configuredSecrets(config),
    starters: config.starters.map((starter) => ({ ...starter })),
  };
}

function createChatModel(model: ModelConfig, config: ModelsConfig, options: ModelRegistryOptions): ChatModel {
  const isDefault = model.id === config.defaultModel;
  // Only the model's own prompt: which prompt a reply gets is the prompt policy's choice (services/prompt-policy.ts).
  const systemPrompt = model.systemPrompt;
  if (model.provider === 'demo') return new DemoChatModel({ delayMs: config.demoDelayMs, isDefault, systemPrompt });
  const upstream = new AiSdkChatModel({
    id: model.id,
    label: model.label,
    provider: model.provider,
    isDefault,
    systemPrompt,
    maxOutputTokens: model.maxOutputTokens,
    apiKey: model.apiKey,
    languageModel: createLanguageModel({ ...model, provider: model.provider, fetch: options.fetch }),
  });
  return withResilience(upstream, config.timeouts);
}
