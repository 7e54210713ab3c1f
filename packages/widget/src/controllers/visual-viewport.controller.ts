import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The part of the layout viewport a visitor sees, in CSS pixels. */
export interface VisibleArea {
  height: number;
  top: number;
}

/**
 * Follows the visual viewport (`window.visualViewport`) while `isActive()` holds, e.g. while a full-screen panel is
 * open on a phone: when the on-screen keyboard opens, the visible area shrinks and scrolls, and the panel is sized to
 * it so the composer stays above the keyboard. `area` is null while inactive or where the API is missing.
 */
export class VisualViewportController implements ReactiveController {
  /** The visible area to fit, or null to use the layout viewport as it is. */
  area: VisibleArea | null = null;

  readonly #host: ReactiveControllerHost;
  readonly #isActive: () => boolean;
  #viewport: VisualViewport | null = null;
  readonly #handleChange = () => this.#measure();

  constructor(host: ReactiveControllerHost, isActive: () => boolean) {
    this.#host = host;
    this.#isActive = isActive;
    host.addController(this);
  }

  hostUpdated(): void {
    const viewport = this.#isActive() ? (globalThis.visualViewport ?? null) : null;
    if (viewport === this.#viewport) return;
    this.#stop();
    if (!viewport) return;
    this.#viewport = viewport;
    viewport.addEventListener('resize', this.#handleChange);
    viewport.addEventListener('scroll', this.#handleChange);
    this.#measure();
  }

  hostDisconnected(): void {
    this.#stop();
  }

  #stop(): void {
    this.#viewport?.removeEventListener('resize', this.#handleChange);
    this.#viewport?.removeEventListener('scroll', this.#handleChange);
    this.#viewport = null;
    if (this.area) {
      this.area = null;
      this.#host.requestUpdate();
    }
  }

  #measure(): void {
    const viewport = this.#viewport;
    if (!viewport) return;
    const area = { height: Math.round(viewport.height), top: Math.round(viewport.offsetTop) };
    if (area.height === this.area?.height && area.top === this.area.top) return;
    this.area = area;
    this.#host.requestUpdate();
  }
}
