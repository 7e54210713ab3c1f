import type { SourcedEntry } from './resolve-model-entry.js';

type Env = Record<string, string | undefined>;

/** The env-only set-ups: a vendor key alone offers that vendor's models, named in a comma list or a sensible default. */
const VENDORS = [
  { provider: 'openai', keyEnv: 'OPENAI_API_KEY', modelsEnv: 'OPENAI_MODELS', fallback: 'gpt-4o-mini', name: 'OpenAI' },
  { provider: 'anthropic', keyEnv: 'ANTHROPIC_API_KEY', modelsEnv: 'ANTHROPIC_MODELS', fallback: 'claude-sonnet-4-5', name: 'Anthropic' },
] as const;

/**
 * Model entries that come from `OPENAI_API_KEY`/`OPENAI_MODELS` and `ANTHROPIC_API_KEY`/`ANTHROPIC_MODELS`. A key
 * alone adds the vendor's default model only when no explicit entry uses that vendor already (the key is then
 * probably meant for those entries); a models list always adds its models.
 */
export function vendorEnvEntries(env: Env, explicit: readonly SourcedEntry[]): SourcedEntry[] {
  return VENDORS.flatMap((vendor) => {
    const list = env[vendor.modelsEnv];
    const isUsedExplicitly = explicit.some(({ entry }) => entry.provider === vendor.provider);
    if (!list && (!env[vendor.keyEnv] || isUsedExplicitly)) return [];
    const names = (list ?? vendor.fallback).split(',').map((name) => name.trim()).filter(Boolean);
    return names.map((name) => ({
      entry: { id: name, label: `${vendor.name} ${name}`, provider: vendor.provider, model: name },
      source: list ? vendor.modelsEnv : vendor.keyEnv,
    }));
  });
}
