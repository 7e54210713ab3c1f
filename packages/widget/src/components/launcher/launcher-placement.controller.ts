import type { ReactiveController } from 'lit';
import type { ComponentHost } from '../component-host.js';

/** The element as the launcher's placement sees it: the `position` attribute. */
export interface LauncherPlacementHost extends ComponentHost {
  readonly position: 'end' | 'start' | 'left' | 'right';
}

/**
 * Puts the launcher in its bottom corner: `end` follows the language's direction (left in Arabic and Hebrew), `start`
 * the other way, `left` and `right` as said. The side is a custom state (`:host(:state(launcher-left))`), so no
 * attribute is written into the host page.
 */
export class LauncherPlacementController implements ReactiveController {
  readonly #host: LauncherPlacementHost;
  readonly #isRightToLeft: () => boolean;
  readonly #internals: ElementInternals | undefined;

  /** `internals` are the element's (from `attachInternals()`); `isRightToLeft` tells the direction of its language. */
  constructor(host: LauncherPlacementHost, internals: ElementInternals | undefined, isRightToLeft: () => boolean) {
    this.#host = host;
    this.#internals = internals;
    this.#isRightToLeft = isRightToLeft;
    host.addController(this);
  }

  /** Whether the launcher sits in the bottom left corner. */
  get isLeft(): boolean {
    const { position } = this.#host;
    const isRightToLeft = this.#isRightToLeft();
    return position === 'left' || (position === 'start' && !isRightToLeft) || (position === 'end' && isRightToLeft);
  }

  hostUpdated(): void {
    try {
      if (this.isLeft) this.#internals?.states?.add('launcher-left');
      else this.#internals?.states?.delete('launcher-left');
    } catch {
      // A browser with the older `--name` syntax only: the launcher stays on the right.
    }
  }
}
