/**
 * The AI providers: the models a deployment offers (OpenAI, Anthropic, any OpenAI-compatible server, the offline
 * demo), how they are configured, and the errors they throw.
 * @module
 */
export type { ChatModel, ChatModelPart, ChatModelRequest, ChatModelUsage, ChatTurn, ProviderKind } from './chat-model.js';
export { ProviderError, providerErrorFromStatus, type ProviderErrorType } from './provider-error.js';
export { createAbortError, isAbortError } from './abort-error.js';
export { createModelRegistry, type ModelRegistry, type ModelRegistryOptions } from './model-registry.js';
export { ConfigError, loadModelsConfig, ModelEntrySchema, ModelsConfigSchema, type ModelConfig, type ModelEntry, type ModelsConfig, type ModelsConfigFile } from './models-config.js';
export { DemoChatModel, DEMO_MODEL_ID, type DemoModelOptions } from './demo-model.js';
export { DEFAULT_RESILIENCE, withResilience, type ResilienceOptions } from './resilient-model.js';
