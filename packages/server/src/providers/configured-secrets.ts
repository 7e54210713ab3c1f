import type { ModelsConfig } from './models-config.js';

/** Every API key a models configuration holds, once each: what logs and responses must never show. */
export function configuredSecrets(config: Pick<ModelsConfig, 'models'>): string[] {
  const keys = config.models.map((model) => ('apiKey' in model ? model.apiKey : undefined));
  return [...new Set(keys.filter((key): key is string => typeof key === 'string' && key.length > 0))];
}
