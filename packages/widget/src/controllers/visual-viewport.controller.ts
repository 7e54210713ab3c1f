import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The part of the layout viewport a visitor sees, in CSS pixels. */
export interface VisibleArea {
  height: number;
  top: number;
}

/**
 * Follows the visual viewport (`window.visualViewport`) while `isActive()` holds, e.g. while a full-screen panel is
 * open on a phone: when the on-screen keyboard opens, the visible area shrinks and scrolls, and the panel is sized to
 * it so the composer stays above the keyboard. `area` is null while inactive or where the API is missing. The area
 * is handed to the panel as `--ai-chat-visible-height` and `--ai-chat-visible-top`, set through the CSSOM: a style
 * attribute would be refused by a host page's Content-Security-Policy without 'unsafe-inline'.
 */
export class VisualViewportController implements ReactiveController {
  /** The visible area to fit, or null to use the layout viewport as it is. */
  area: VisibleArea | null = null;

  readonly #host: ReactiveControllerHost;
  readonly #isActive: () => boolean;
  readonly #target: () => HTMLElement | null;
  #viewport: VisualViewport | null = null;
  readonly #handleChange = () => this.#measure();

  /** `target` is the element that takes the visible area's custom properties (the panel), once rendered. */
  constructor(host: ReactiveControllerHost, isActive: () => boolean, target: () => HTMLElement | null = () => null) {
    this.#host = host;
    this.#isActive = isActive;
    this.#target = target;
    host.addController(this);
  }

  hostUpdated(): void {
    this.#follow();
    const target = this.#target();
    for (const [name, value] of [['--ai-chat-visible-height', this.area?.height], ['--ai-chat-visible-top', this.area?.top]] as const) {
      if (value === undefined) target?.style.removeProperty(name);
      else target?.style.setProperty(name, `${value}px`);
    }
  }

  hostDisconnected(): void {
    this.#stop();
  }

  #follow(): void {
    const viewport = this.#isActive() ? (globalThis.visualViewport ?? null) : null;
    if (viewport === this.#viewport) return;
    this.#stop();
    if (!viewport) return;
    this.#viewport = viewport;
    viewport.addEventListener('resize', this.#handleChange);
    viewport.addEventListener('scroll', this.#handleChange);
    this.#measure();
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
