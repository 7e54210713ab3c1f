import { StartersInputSchema } from '@ai-chat/protocol';
import { z } from 'zod';

const PROVIDERS = ['openai', 'anthropic', 'openai-compatible'] as const;

const milliseconds = z.number().int('must be a whole number of milliseconds').positive('must be positive');

/**
 * One model a deployment offers, as written in `AI_CHAT_MODELS` or the config file. `model` is the upstream's name
 * (default: `id`); `apiKeyEnv` names the environment variable holding the key, which never goes in a file.
 */
export const ModelEntrySchema = z.strictObject({
  id: z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') }).regex(/^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,99}$/, 'must be 1-100 letters, digits or . _ : / @ -'),
  label: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').optional(),
  provider: z.enum(PROVIDERS, { error: `must be one of ${PROVIDERS.join(', ')}` }),
  model: z.string().min(1, 'must not be empty').optional(),
  baseURL: z.url({ protocol: /^https?$/, error: 'must be a URL' }).optional(),
  apiKeyEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable').optional(),
  /** Only in `AI_CHAT_MODELS` (an environment variable), never in the config file. */
  apiKey: z.string().min(1, 'must not be empty').optional(),
  default: z.boolean().optional(),
  systemPrompt: z.string().optional(),
  maxOutputTokens: z.number().int().positive('must be positive').optional(),
});
/** One model entry as written, before its key and defaults are resolved. */
export type ModelEntry = z.infer<typeof ModelEntrySchema>;

/** The models config file that `AI_CHAT_CONFIG` points at. Environment variables override its settings. */
export const ModelsConfigSchema = z.strictObject({
  models: z.array(ModelEntrySchema).default([]),
  systemPrompt: z.string().optional(),
  defaultModel: z.string().min(1).optional(),
  titleModel: z.string().min(1).optional(),
  historyBudget: z.number().int('must be a whole number').positive('must be positive').optional(),
  timeouts: z.strictObject({ firstTokenMs: milliseconds, idleMs: milliseconds, retryDelayMs: milliseconds }).partial().optional(),
  demo: z.strictObject({ enabled: z.boolean(), delayMs: z.number().int().min(0, 'must not be negative') }).partial().optional(),
  /** Prompts the empty conversation offers as buttons: strings, or `{ prompt, label }`. */
  starters: StartersInputSchema.optional(),
});
/** The config file's content once validated. */
export type ModelsConfigFile = z.infer<typeof ModelsConfigSchema>;
