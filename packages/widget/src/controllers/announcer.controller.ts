import { html, type ReactiveController, type ReactiveControllerHost } from 'lit';

/**
 * A polite live region for what a screen reader should hear once: a finished reply, "stopped", "copied", a new
 * conversation. The message log itself is `aria-busy` while a reply streams, so its chunks are not read one by one;
 * the whole reply is said here when it is complete. Saying the same text twice still speaks it twice.
 */
export class AnnouncerController implements ReactiveController {
  /** The text the live region holds now. */
  message = '';

  readonly #host: ReactiveControllerHost;
  #isAlternate = false;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {}

  /** Has the live region say `text` (politely, after what the screen reader is saying). Empty text says nothing. */
  announce(text: string): void {
    const message = text.trim();
    if (!message) return;
    // A changed text is what makes a live region speak: alternate an invisible trailing space for a repeat.
    this.#isAlternate = !this.#isAlternate;
    this.message = this.#isAlternate ? message : `${message}\u00a0`;
    this.#host.requestUpdate();
  }

  /** The live region; render it once, anywhere inside the element (it is visually hidden). */
  render() {
    return html`<div class="visually-hidden" part="announcer" role="status" aria-live="polite" aria-atomic="true">${this.message}</div>`;
  }
}
