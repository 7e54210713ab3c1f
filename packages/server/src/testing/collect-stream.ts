import type { ChatModelPart, ChatModelUsage } from '../providers/chat-model.js';

/** What a model streamed, or how it failed: for tests that read a whole reply. */
export interface CollectedStream {
  deltas: string[];
  text: string;
  usage?: ChatModelUsage | undefined;
  finished: boolean;
  error?: unknown;
}

/** Reads a model's stream to its end, keeping the parts that came before a failure. */
export async function collectStream(parts: AsyncIterable<ChatModelPart>): Promise<CollectedStream> {
  const collected: CollectedStream = { deltas: [], text: '', finished: false };
  try {
    for await (const part of parts) {
      if (part.type === 'text-delta') collected.deltas.push(part.delta);
      else {
        collected.finished = true;
        collected.usage = part.usage;
      }
    }
  } catch (error) {
    collected.error = error;
  }
  collected.text = collected.deltas.join('');
  return collected;
}
