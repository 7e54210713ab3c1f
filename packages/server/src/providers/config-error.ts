import type { z } from 'zod';

/** Misconfigured models: the message names the variable or file and what is wrong, and start-up stops with it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Turns zod issues into one ConfigError whose parts read like `AI_CHAT_MODELS[1].baseURL: must be a URL` for a
 * variable and `/etc/ai-chat.json: models[1].baseURL: must be a URL` for a file.
 */
export function configErrorFromIssues(source: string, issues: readonly z.core.$ZodIssue[]): ConfigError {
  const isVariable = /^[A-Z][A-Z0-9_]*$/.test(source);
  const lines = issues.map((issue) => {
    const path = formatPath(issue.path);
    if (isVariable || path === '') return `${source}${path}: ${issue.message}`;
    return `${source}: ${path.replace(/^\./, '')}: ${issue.message}`;
  });
  return new ConfigError(lines.join('; '));
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
}
