import type { ReactiveController } from 'lit';
import type { ChatClientLike } from '../chat-client-like.js';
import { ChatController } from '../controllers/chat.controller.js';
import type { ChatHost } from '../controllers/connection.controller.js';

/**
 * A stand-in for `<ai-chat>` in plain Node: an event target that counts update requests and records the events the
 * controllers fire, so the controllers can be tested without a browser or a server.
 */
export class FakeHost extends EventTarget {
  readonly controllers: ReactiveController[] = [];
  readonly events: Event[] = [];
  updates = 0;
  isConnected = true;
  serverUrl = 'https://chat.example';
  model: string | undefined = undefined;
  readonly updateComplete = Promise.resolve(true);

  addController(controller: ReactiveController): void {
    this.controllers.push(controller);
  }

  removeController(controller: ReactiveController): void {
    this.controllers.splice(this.controllers.indexOf(controller), 1);
  }

  requestUpdate(): void {
    this.updates += 1;
  }

  override dispatchEvent(event: Event): boolean {
    this.events.push(event);
    return super.dispatchEvent(event);
  }

  /** The names of the events fired so far. */
  eventNames(): string[] {
    return this.events.map((event) => event.type);
  }
}

/** The element's controllers on a fake host, with `client()` deciding which client a start uses. */
export function createChat(client: () => ChatClientLike) {
  const host = new FakeHost();
  const chat = new ChatController(host as unknown as ChatHost, client);
  return { host, chat, ...chat };
}

/** Waits until `condition` holds, turning the event loop (no fixed delays: it checks after every macrotask). */
export async function until(condition: () => boolean, what = 'condition'): Promise<void> {
  for (let turn = 0; turn < 1000; turn += 1) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`Timed out waiting for ${what}`);
}
