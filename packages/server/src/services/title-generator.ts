import type { ChatModel } from '../providers/chat-model.js';
import { shorten, TITLE_LENGTH } from './message-text.js';

const TITLE_TIMEOUT_MS = 15_000;

/**
 * Asks the deployment's title model for a short title of a conversation that begins with `content`. Resolves to
 * `undefined` when the model gives nothing usable in time; the first-message title stays then.
 */
export async function generateTitle(model: ChatModel, content: string): Promise<string | undefined> {
  const signal = AbortSignal.timeout(TITLE_TIMEOUT_MS);
  let text = '';
  const parts = model.stream({
    system:
      'You write titles for chat conversations. Answer with the title only: at most six words, no quotes, no final period.',
    messages: [{ role: 'user', content: `Write a title for a conversation that begins with this message:\n\n${content.slice(0, 2000)}` }],
    signal,
  });
  for await (const part of parts) {
    if (part.type === 'text-delta') text += part.delta;
    if (text.length > 400) break;
  }
  const title = shorten(text.split('\n').find((line) => line.trim()) ?? '', TITLE_LENGTH).replace(/^["'“”]+|["'“”.]+$/g, '').trim();
  return title || undefined;
}
