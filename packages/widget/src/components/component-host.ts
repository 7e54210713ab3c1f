import type { ReactiveControllerHost } from 'lit';

/**
 * The element a component controller serves (`<ai-chat>`): components render into its shadow root, so every
 * `part` stays reachable with `ai-chat::part(...)` from the host page.
 */
export interface ComponentHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
}
