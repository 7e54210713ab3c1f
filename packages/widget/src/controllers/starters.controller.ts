import type { ReactiveController } from 'lit';
import type { ChatHost, ConnectionController, Scope } from './connection.controller.js';

/** A starter prompt: what is sent, and the button's text (the prompt itself when there is no label). */
export interface Starter {
  prompt: string;
  label?: string | undefined;
}

/**
 * Reads the `starters` attribute: a JSON array of strings or `{ prompt, label }` objects. Anything else (invalid JSON,
 * empty prompts) is dropped, so a typo in a host page shows the server's starters instead of breaking the element.
 */
export function parseStarters(value: string | null): Starter[] | undefined {
  if (value === null) return undefined;
  try {
    return toStarters(JSON.parse(value));
  } catch {
    return undefined;
  }
}

/** The starters among any value: strings and `{ prompt, label? }` objects with a non-empty prompt. */
export function toStarters(value: unknown): Starter[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.flatMap((item): Starter[] => {
    if (typeof item === 'string') return item.trim() ? [{ prompt: item.trim() }] : [];
    const { prompt, label } = (item ?? {}) as { prompt?: unknown; label?: unknown };
    if (typeof prompt !== 'string' || !prompt.trim()) return [];
    return [{ prompt: prompt.trim(), ...(typeof label === 'string' && label.trim() ? { label: label.trim() } : {}) }];
  });
}

/**
 * The starter prompts of the deployment (`GET /api/config`, read once per server and visitor). The page's `starters`
 * attribute or property wins over them.
 */
export class StartersController implements ReactiveController {
  /** What the server configured (empty until it answered, or when it has none). */
  fromServer: Starter[] = [];

  readonly #host: ChatHost;
  readonly #connection: ConnectionController;
  #scope: Scope | null = null;

  constructor(host: ChatHost, connection: ConnectionController) {
    this.#host = host;
    this.#connection = connection;
    host.addController(this);
  }

  hostUpdate(): void {
    const scope = this.#connection.scope;
    if (scope === this.#scope) return;
    this.#scope = scope;
    this.fromServer = [];
    if (scope) void this.#load(scope);
  }

  async #load(scope: Scope): Promise<void> {
    try {
      const config = await scope.client.config?.retrieve({ signal: scope.signal });
      if (scope.signal.aborted || scope !== this.#scope) return;
      this.fromServer = toStarters(config?.starters) ?? [];
      this.#host.requestUpdate();
    } catch {
      // No starters is a fine empty state: the conversation still works.
    }
  }

  /** The starters to show: the page's own when it set any, else the server's. */
  resolve(fromPage: Starter[] | undefined): Starter[] {
    return fromPage ?? this.fromServer;
  }
}
