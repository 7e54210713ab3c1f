import { setTimeout as delay } from 'node:timers/promises';
import { createAbortError } from './abort-error.js';
import type { ChatModel, ChatModelPart, ChatModelRequest } from './chat-model.js';
import { ProviderError } from './provider-error.js';
import { toProviderError } from './to-provider-error.js';

/** Timeouts and retry pacing for upstream models, in milliseconds. */
export interface ResilienceOptions {
  /** No first token within this long after the request (connection, headers, first text) → `provider_timeout`. */
  firstTokenMs: number;
  /** No new part within this long after a token → `provider_timeout`. */
  idleMs: number;
  /** Wait before the one retry when the upstream did not say (`retry-after`). */
  retryDelayMs: number;
  /** The longest `retry-after` we honour; a visitor is waiting. */
  maxRetryDelayMs: number;
}

/** The defaults: generous for slow first tokens of big models, strict enough that a stalled stream ends. */
export const DEFAULT_RESILIENCE: ResilienceOptions = { firstTokenMs: 30_000, idleMs: 30_000, retryDelayMs: 500, maxRetryDelayMs: 5_000 };

/**
 * Wraps an upstream model with a first-token timeout, an idle timeout between parts, and exactly one retry when the
 * failure came before the first token and could pass (connection error, 429, 5xx; never 4xx nor a timeout).
 */
export function withResilience(model: ChatModel, options: ResilienceOptions): ChatModel {
  return {
    id: model.id,
    label: model.label,
    provider: model.provider,
    isDefault: model.isDefault,
    systemPrompt: model.systemPrompt,
    stream: (request) => streamWithRetry(model, request, options),
  };
}

async function* streamWithRetry(model: ChatModel, request: ChatModelRequest, options: ResilienceOptions): AsyncGenerator<ChatModelPart> {
  for (let attempt = 1; ; attempt++) {
    const progress = { hasToken: false };
    try {
      yield* streamAttempt(model, request, options, progress);
      return;
    } catch (error) {
      if (request.signal.aborted) throw createAbortError();
      const failure = toProviderError(error);
      if (progress.hasToken || attempt > 1 || !failure.isRetryable) throw failure;
      await waitBeforeRetry(failure, options, request.signal);
    }
  }
}

async function waitBeforeRetry(failure: ProviderError, options: ResilienceOptions, signal: AbortSignal) {
  const wait = Math.min(failure.retryAfterMs ?? options.retryDelayMs, options.maxRetryDelayMs);
  try {
    await delay(wait, undefined, { signal });
  } catch {
    throw createAbortError();
  }
}

type Race = { kind: 'part'; result: IteratorResult<ChatModelPart> } | { kind: 'timeout' } | { kind: 'abort' };

async function* streamAttempt(model: ChatModel, request: ChatModelRequest, options: ResilienceOptions, progress: { hasToken: boolean }) {
  const controller = new AbortController();
  const forwardAbort = () => controller.abort(request.signal.reason);
  request.signal.addEventListener('abort', forwardAbort, { once: true });
  const iterator = model.stream({ ...request, signal: controller.signal })[Symbol.asyncIterator]();
  try {
    for (;;) {
      const limit = progress.hasToken ? options.idleMs : options.firstTokenMs;
      const race = await nextWithin(iterator, limit, request.signal);
      if (race.kind === 'abort') throw createAbortError();
      if (race.kind === 'timeout') throw timeoutError(progress.hasToken, limit);
      if (race.result.done) return;
      if (race.result.value.type === 'text-delta') progress.hasToken = true;
      yield race.result.value;
      if (race.result.value.type === 'finish') return;
    }
  } finally {
    request.signal.removeEventListener('abort', forwardAbort);
    // Frees the upstream connection; a hung iterator may never settle, so its return() is not awaited.
    controller.abort();
    iterator.return?.().catch(() => {});
  }
}

/** The iterator's next part, unless the time limit or the caller's signal comes first. */
async function nextWithin(iterator: AsyncIterator<ChatModelPart>, limit: number, signal: AbortSignal): Promise<Race> {
  const next = iterator.next();
  // A part that loses the race may still reject later (its attempt is aborted); that must not go unhandled.
  next.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await Promise.race<Race>([
      next.then((result) => ({ kind: 'part', result })),
      new Promise<Race>((resolve) => (timer = setTimeout(() => resolve({ kind: 'timeout' }), limit))),
      new Promise<Race>((resolve) => {
        onAbort = () => resolve({ kind: 'abort' });
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

function timeoutError(hasToken: boolean, limit: number): ProviderError {
  const seconds = Math.max(1, Math.round(limit / 1000));
  const message = hasToken
    ? `The AI provider stopped sending its reply (nothing for ${seconds} s).`
    : `The AI provider did not start answering within ${seconds} s.`;
  return new ProviderError('provider_timeout', message);
}
