import { setTimeout as delay } from 'node:timers/promises';
import { createAbortError } from './abort-error.js';
import type { ChatModel, ChatModelPart, ChatModelRequest } from './chat-model.js';
import { countWords, writeDemoReply } from './demo-reply.js';

/** How to build the demo model. */
export interface DemoModelOptions {
  /** Pause before each word, in milliseconds; 0 streams as fast as possible (tests). */
  delayMs?: number | undefined;
  isDefault?: boolean | undefined;
  systemPrompt?: string | undefined;
}

/** The demo model's id. */
export const DEMO_MODEL_ID = 'demo';

/**
 * The built-in offline model: it streams a deterministic, markdown-rich reply word by word at a human pace, so the
 * product works with no provider configured. Words count as tokens in its usage.
 */
export class DemoChatModel implements ChatModel {
  readonly id = DEMO_MODEL_ID;
  readonly label = 'Demo (offline)';
  readonly provider = 'demo' as const;
  readonly isDefault: boolean;
  readonly systemPrompt?: string | undefined;
  readonly #delayMs: number;

  constructor(options: DemoModelOptions = {}) {
    this.#delayMs = options.delayMs ?? 30;
    this.isDefault = options.isDefault ?? false;
    this.systemPrompt = options.systemPrompt;
  }

  async *stream(request: ChatModelRequest): AsyncGenerator<ChatModelPart> {
    const reply = writeDemoReply(request.messages);
    for (const [index, word] of (reply.match(/\s*\S+\s*/g) ?? []).entries()) {
      await this.#pause(index, request.signal);
      yield { type: 'text-delta', delta: word };
    }
    if (request.signal.aborted) throw createAbortError();
    const input = [request.system ?? '', ...request.messages.map((turn) => turn.content)].join(' ');
    yield { type: 'finish', usage: { inputTokens: countWords(input), outputTokens: countWords(reply) } };
  }

  async #pause(index: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw createAbortError();
    if (this.#delayMs <= 0) return;
    // Words come a little unevenly (2/3 to 4/3 of the pace), like typing; the pattern is fixed, not random.
    const pace = this.#delayMs * (2 / 3 + ((index * 7) % 5) / 6);
    try {
      await delay(pace, undefined, { signal });
    } catch {
      throw createAbortError();
    }
  }
}
