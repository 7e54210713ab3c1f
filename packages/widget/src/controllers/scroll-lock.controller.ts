import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Keeps the page behind a full-screen panel from scrolling while `isActive()` holds (a launcher panel that covers
 * a phone's screen): the page's root and body stop scrolling and bouncing, and get their own styles back after.
 */
export class ScrollLockController implements ReactiveController {
  readonly #isActive: () => boolean;
  #saved: { element: HTMLElement; overflow: string; overscroll: string }[] | null = null;

  constructor(host: ReactiveControllerHost, isActive: () => boolean) {
    this.#isActive = isActive;
    host.addController(this);
  }

  hostUpdated(): void {
    if (this.#isActive()) this.#lock();
    else this.#unlock();
  }

  hostDisconnected(): void {
    this.#unlock();
  }

  #lock(): void {
    if (this.#saved || typeof document === 'undefined') return;
    const elements = [document.documentElement, document.body].filter((element): element is HTMLElement => !!element);
    this.#saved = elements.map((element) => ({ element, overflow: element.style.overflow, overscroll: element.style.overscrollBehavior }));
    for (const element of elements) {
      element.style.overflow = 'hidden';
      element.style.overscrollBehavior = 'none';
    }
  }

  #unlock(): void {
    for (const { element, overflow, overscroll } of this.#saved ?? []) {
      element.style.overflow = overflow;
      element.style.overscrollBehavior = overscroll;
    }
    this.#saved = null;
  }
}
