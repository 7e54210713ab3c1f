import type { Logger } from 'pino';

/** What the AI SDK hands a warnings logger (`globalThis.AI_SDK_LOG_WARNINGS`). */
interface AiSdkWarnings {
  warnings: readonly unknown[];
  provider?: string;
  model?: string;
}

type WarningsLogger = ((options: AiSdkWarnings) => void) & { [OURS]?: true };

const OURS = Symbol.for('ai-chat.ai-sdk-warnings');
// Distinct warnings remembered per process, so a model's warning is logged once, not on every reply.
const MAX_REMEMBERED = 1_000;

declare global {
  // The AI SDK's switch: false silences its warnings, a function receives them, unset prints them to the console.
  var AI_SDK_LOG_WARNINGS: WarningsLogger | false | undefined;
}

/**
 * Sends the AI SDK's warnings (e.g. a model it does not know, so `maxOutputTokens` runs in a compatibility mode) to
 * the server's logger, each distinct warning once per process, instead of the SDK's `console.warn` on every request
 * (which bypasses the log's structure and its redaction). A host that set `AI_SDK_LOG_WARNINGS` itself keeps its
 * choice; with several routers in one process, the newest one's logger receives them.
 */
export function routeAiSdkWarnings(logger: Logger): void {
  const current = globalThis.AI_SDK_LOG_WARNINGS;
  if (current !== undefined && !(typeof current === 'function' && current[OURS])) return;
  const seen = new Set<string>();
  const route: WarningsLogger = ({ warnings, provider, model }) => {
    for (const warning of warnings) {
      const key = JSON.stringify([provider, model, warning]);
      if (seen.has(key)) continue;
      if (seen.size < MAX_REMEMBERED) seen.add(key);
      logger.warn({ provider, model, warning }, 'AI SDK warning');
    }
  };
  route[OURS] = true;
  globalThis.AI_SDK_LOG_WARNINGS = route;
}
