import type { ChatModel } from '../providers/chat-model.js';
import { shorten, TITLE_LENGTH } from './message-text.js';
import type { Prompt } from './prompt-policy.js';

const TITLE_TIMEOUT_MS = 15_000;

/**
 * Asks the deployment's title model for a short title with the prompt policy's title prompt. Resolves to
 * `undefined` when the model gives nothing usable in time; the first-message title stays then.
 */
export async function generateTitle(model: ChatModel, prompt: Prompt): Promise<string | undefined> {
  const signal = AbortSignal.timeout(TITLE_TIMEOUT_MS);
  let text = '';
  for await (const part of model.stream({ ...prompt, signal })) {
    if (part.type === 'text-delta') text += part.delta;
    if (text.length > 400) break;
  }
  const title = shorten(text.split('\n').find((line) => line.trim()) ?? '', TITLE_LENGTH).replace(/^["'“”]+|["'“”.]+$/g, '').trim();
  return title || undefined;
}
