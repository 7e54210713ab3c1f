import { readFileSync } from 'node:fs';
import { StartersInputSchema, type Starter } from '@ai-chat/protocol';
import { z } from 'zod';
import { ConfigError, configErrorFromIssues } from './config-error.js';
import { DEMO_MODEL_ID } from './demo-model.js';
import { ModelEntrySchema, ModelsConfigSchema, type ModelsConfigFile } from './models-config-schema.js';
import { DEFAULT_RESILIENCE, type ResilienceOptions } from './resilient-model.js';
import { resolveModelEntry, type ModelConfig, type SourcedEntry } from './resolve-model-entry.js';
import { vendorEnvEntries } from './vendor-env-entries.js';

export { ConfigError } from './config-error.js';
export { ModelEntrySchema, ModelsConfigSchema, type ModelEntry, type ModelsConfigFile } from './models-config-schema.js';
export type { ModelConfig } from './resolve-model-entry.js';

/** Everything the model registry needs, resolved from the config file and the environment. */
export interface ModelsConfig {
  /** The models offered, the demo last when it is enabled. */
  models: ModelConfig[];
  defaultModel: string;
  titleModel?: string | undefined;
  systemPrompt?: string | undefined;
  /** Characters of history sent upstream. */
  historyBudget: number;
  timeouts: ResilienceOptions;
  /** The demo model's pause between words, in milliseconds. */
  demoDelayMs: number;
  /** Prompts the empty conversation offers as buttons (`GET /api/config`). */
  starters: Starter[];
}

type Env = Record<string, string | undefined>;

const DEFAULT_HISTORY_BUDGET = 24_000;
const DEFAULT_DEMO_DELAY_MS = 30;

/**
 * Reads the models a deployment offers from `AI_CHAT_CONFIG` (a JSON file), `AI_CHAT_MODELS`, `OPENAI_API_KEY`,
 * `ANTHROPIC_API_KEY` and the other `AI_CHAT_*` variables. Throws a ConfigError naming the variable or file at fault.
 * @example loadModelsConfig({ OPENAI_API_KEY: 'sk-…', OPENAI_MODELS: 'gpt-4o-mini,gpt-4o' })
 */
export function loadModelsConfig(environment: Env, readFile: (path: string) => string = (path) => readFileSync(path, 'utf8')): ModelsConfig {
  const env = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''));
  const file = readConfigFile(env.AI_CHAT_CONFIG, readFile);
  const entries = collectEntries(file, env);
  const isDemoEnabled = !parseBoolean(env, 'AI_CHAT_DISABLE_DEMO') && file.demo?.enabled !== false;
  const models = entries.map((sourced) => resolveModelEntry(sourced, env));
  rejectDuplicates(entries, isDemoEnabled);
  if (isDemoEnabled) models.push(demoConfig());
  if (models.length === 0) {
    throw new ConfigError('no models configured: AI_CHAT_DISABLE_DEMO is set and there is no OPENAI_API_KEY, ANTHROPIC_API_KEY, AI_CHAT_MODELS or AI_CHAT_CONFIG model');
  }
  const defaultModel = chooseDefault(models, entries, env, file);
  return {
    models: models.map((model) => ({ ...model, isDefault: model.id === defaultModel })),
    defaultModel,
    titleModel: checkKnown(models, env.AI_CHAT_TITLE_MODEL ?? file.titleModel, whereSet(env, 'AI_CHAT_TITLE_MODEL', 'titleModel')),
    systemPrompt: env.AI_CHAT_SYSTEM_PROMPT ?? file.systemPrompt,
    historyBudget: parseInteger(env, 'AI_CHAT_HISTORY_BUDGET', 1) ?? file.historyBudget ?? DEFAULT_HISTORY_BUDGET,
    timeouts: {
      ...DEFAULT_RESILIENCE,
      ...file.timeouts,
      ...definedOnly({ firstTokenMs: parseInteger(env, 'AI_CHAT_FIRST_TOKEN_TIMEOUT_MS', 1), idleMs: parseInteger(env, 'AI_CHAT_IDLE_TIMEOUT_MS', 1) }),
    },
    demoDelayMs: parseInteger(env, 'AI_CHAT_DEMO_DELAY_MS', 0) ?? file.demo?.delayMs ?? DEFAULT_DEMO_DELAY_MS,
    starters: parseStarters(env.AI_CHAT_STARTERS) ?? file.starters ?? [],
  };
}

function parseStarters(value: string | undefined): Starter[] | undefined {
  if (!value) return undefined;
  const parsed = StartersInputSchema.safeParse(parseJson(value, 'AI_CHAT_STARTERS'));
  if (!parsed.success) throw configErrorFromIssues('AI_CHAT_STARTERS', parsed.error.issues);
  return parsed.data;
}

function readConfigFile(path: string | undefined, readFile: (path: string) => string): ModelsConfigFile {
  if (!path) return { models: [] };
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    throw new ConfigError(`AI_CHAT_CONFIG: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const parsed = ModelsConfigSchema.safeParse(parseJson(text, path));
  if (!parsed.success) throw configErrorFromIssues(path, parsed.error.issues);
  const withKey = parsed.data.models.findIndex((entry) => entry.apiKey !== undefined);
  if (withKey >= 0) {
    throw new ConfigError(`${path}: models[${withKey}].apiKey: keys must not be written in a file; name the environment variable that holds it with apiKeyEnv`);
  }
  return parsed.data;
}

function collectEntries(file: ModelsConfigFile, env: Env): SourcedEntry[] {
  const fromFile = file.models.map((entry, index) => ({ entry, source: `${env.AI_CHAT_CONFIG} models[${index}]` }));
  const fromEnv = parseModelsVariable(env.AI_CHAT_MODELS);
  const explicit = [...fromFile, ...fromEnv];
  return [...explicit, ...vendorEnvEntries(env, explicit)];
}

function parseModelsVariable(value: string | undefined): SourcedEntry[] {
  if (!value) return [];
  const parsed = z.array(ModelEntrySchema, { error: 'must be a JSON array of models' }).safeParse(parseJson(value, 'AI_CHAT_MODELS'));
  if (!parsed.success) throw configErrorFromIssues('AI_CHAT_MODELS', parsed.error.issues);
  return parsed.data.map((entry, index) => ({ entry, source: `AI_CHAT_MODELS[${index}]` }));
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8's message quotes the text, which may hold a key: keep only the position.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new ConfigError(`${source}: is not valid JSON${position ? ` (at position ${position})` : ''}`);
  }
}

function rejectDuplicates(entries: SourcedEntry[], isDemoEnabled: boolean): void {
  const seen = new Map<string, string>();
  if (isDemoEnabled) seen.set(DEMO_MODEL_ID, 'the built-in demo model (set AI_CHAT_DISABLE_DEMO=true to free the id)');
  for (const { entry, source } of entries) {
    const first = seen.get(entry.id);
    if (first) throw new ConfigError(`duplicate model id "${entry.id}": ${first} and ${source}`);
    seen.set(entry.id, source);
  }
}

function chooseDefault(models: ModelConfig[], entries: SourcedEntry[], env: Env, file: ModelsConfigFile): string {
  const flagged = entries.filter(({ entry }) => entry.default);
  if (flagged.length > 1) {
    const names = flagged.map(({ entry, source }) => `"${entry.id}" (${source})`);
    throw new ConfigError(`more than one default model: ${names.join(' and ')}; mark only one with "default": true`);
  }
  const chosen = env.AI_CHAT_DEFAULT_MODEL ?? file.defaultModel;
  if (chosen) return checkKnown(models, chosen, whereSet(env, 'AI_CHAT_DEFAULT_MODEL', 'defaultModel'))!;
  return flagged[0]?.entry.id ?? models[0]!.id;
}

/** Names where a setting came from: its variable when set, else the config file's field. */
function whereSet(env: Env, variable: string, field: string): string {
  return env[variable] ? variable : `${env.AI_CHAT_CONFIG}: ${field}`;
}

function checkKnown(models: ModelConfig[], id: string | undefined, variable: string): string | undefined {
  if (id === undefined || models.some((model) => model.id === id)) return id;
  throw new ConfigError(`${variable}: unknown model "${id}" (configured: ${models.map((model) => model.id).join(', ')})`);
}

function demoConfig(): ModelConfig {
  return { id: DEMO_MODEL_ID, label: 'Demo (offline)', provider: 'demo', model: DEMO_MODEL_ID, isDefault: false };
}

function parseInteger(env: Env, name: string, minimum: number): number | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < minimum) {
    throw new ConfigError(`${name}: must be a whole number${minimum > 0 ? ' above 0' : ''} (got "${value}")`);
  }
  return Number(value);
}

function parseBoolean(env: Env, name: string): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (value === undefined) return false;
  if (['true', '1', 'yes'].includes(value)) return true;
  if (['false', '0', 'no'].includes(value)) return false;
  throw new ConfigError(`${name}: must be true or false (got "${env[name]}")`);
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
