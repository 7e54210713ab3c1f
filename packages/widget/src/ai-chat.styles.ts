import { css } from 'lit';

// Dark defaults, shared by `theme="dark"` and by `theme="auto"` on a dark system.
const darkTokens = css`
  --ai-chat-background: #18181b;
  --ai-chat-surface: #232327;
  --ai-chat-surface-hover: #2c2c31;
  --ai-chat-text: #ededf0;
  --ai-chat-text-muted: #a3a3ad;
  --ai-chat-border: #34343a;
  --ai-chat-accent: #8b8cf8;
  --ai-chat-accent-text: #111114;
  --ai-chat-accent-soft: #2a2a44;
  --ai-chat-user-background: #2c2c33;
  --ai-chat-user-text: #ededf0;
  --ai-chat-code-background: #0f0f12;
  --ai-chat-danger: #f87171;
  --ai-chat-danger-soft: #3a1f22;
  --ai-chat-shadow: 0 24px 60px rgb(0 0 0 / 0.55), 0 2px 8px rgb(0 0 0 / 0.4);
  color-scheme: dark;
`;

/**
 * The host reset and design tokens: every value a host page may change is a `--ai-chat-*` custom property. The
 * launcher's placement is `!important`, which wins over a host page's own `!important` rules (even
 * `* { all: unset !important }` or `ai-chat { height: 640px }`), so it stays in its corner; pages move it with the
 * offset and z-index tokens.
 */
export const hostStyles = css`
  :host {
    all: initial;
    display: block;
    position: relative;
    box-sizing: border-box;
    height: 100%;
    min-height: 360px;
    --ai-chat-font-family: ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
    --ai-chat-mono-font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace;
    --ai-chat-font-size: 15px;
    --ai-chat-line-height: 1.6;
    --ai-chat-background: #ffffff;
    --ai-chat-surface: #f6f6f7;
    --ai-chat-surface-hover: #ededf0;
    --ai-chat-text: #1d1d22;
    --ai-chat-text-muted: #5e5e6b;
    --ai-chat-border: #e4e4e9;
    --ai-chat-accent: #4f46e5;
    --ai-chat-accent-text: #ffffff;
    --ai-chat-accent-soft: #eef0ff;
    --ai-chat-user-background: #f0f0f4;
    --ai-chat-user-text: #1d1d22;
    --ai-chat-code-background: #f6f6f7;
    --ai-chat-danger: #b42318;
    --ai-chat-danger-soft: #fef1f0;
    --ai-chat-radius: 18px;
    --ai-chat-radius-small: 10px;
    --ai-chat-spacing: 16px;
    --ai-chat-width: 400px;
    --ai-chat-height: 640px;
    --ai-chat-offset: 20px;
    --ai-chat-z-index: 2147483000;
    --ai-chat-shadow: 0 24px 60px rgb(15 15 30 / 0.18), 0 2px 8px rgb(15 15 30 / 0.08);
    color-scheme: light;
  }
  :host([theme='dark']) {
    ${darkTokens}
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) {
      ${darkTokens}
    }
  }
  /* In launcher mode the element itself is an empty, unstyleable anchor in the viewport's bottom-right corner: none of
     the page's width, height, display, position, transform, filter, containment, overflow, margin, padding or border
     rules (even !important ones: a shadow root's !important wins over the page's) reaches the button and panel,
     which sit at --ai-chat-offset from that corner. */
  :host([mode='launcher']:not([hidden])) {
    display: block !important;
    position: fixed !important;
    inset: auto 0 0 auto !important;
    width: 0 !important;
    height: 0 !important;
    min-width: 0 !important;
    min-height: 0 !important;
    max-width: none !important;
    max-height: none !important;
    margin: 0 !important;
    padding: 0 !important;
    border: 0 !important;
    overflow: visible !important;
    transform: none !important;
    translate: none !important;
    rotate: none !important;
    scale: none !important;
    filter: none !important;
    backdrop-filter: none !important;
    perspective: none !important;
    contain: none !important;
    container-type: normal !important;
    will-change: auto !important;
    clip-path: none !important;
    mask: none !important;
    z-index: var(--ai-chat-z-index) !important;
  }
  :host([mode='launcher']) .launcher {
    position: absolute;
    right: var(--ai-chat-offset);
    bottom: var(--ai-chat-offset);
  }
  /* The launcher's corner (the position attribute, read against the language's direction). */
  :host([mode='launcher']:not([hidden]):state(launcher-left)) {
    inset: auto auto 0 0 !important;
  }
  :host([mode='launcher']:state(launcher-left)) .launcher {
    right: auto;
    left: var(--ai-chat-offset);
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation: none !important;
      transition: none !important;
      scroll-behavior: auto !important;
    }
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
    margin: 0;
  }
  button {
    cursor: pointer;
    background: none;
    border: 0;
    padding: 0;
  }
  button:disabled {
    cursor: default;
  }
  :focus-visible {
    outline: 2px solid var(--ai-chat-accent);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  svg {
    width: 18px;
    height: 18px;
    flex: none;
    fill: none;
    stroke: currentColor;
    stroke-width: 1.8;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
`;

/** The panel, its header, and the icon and text buttons every region uses. */
export const panelStyles = css`
  .panel {
    position: relative;
    display: flex;
    flex-direction: column;
    height: 100%;
    overflow: hidden;
    font-family: var(--ai-chat-font-family);
    font-size: var(--ai-chat-font-size);
    line-height: var(--ai-chat-line-height);
    color: var(--ai-chat-text);
    background: var(--ai-chat-background);
    border: 1px solid var(--ai-chat-border);
    border-radius: var(--ai-chat-radius);
    -webkit-font-smoothing: antialiased;
  }
  :host([mode='launcher']) .panel {
    position: absolute;
    right: var(--ai-chat-offset);
    bottom: calc(var(--ai-chat-offset) + 56px + 16px);
    width: min(var(--ai-chat-width), calc(100vw - 2 * var(--ai-chat-offset)));
    height: min(var(--ai-chat-height), calc(100vh - 56px - 16px - 2 * var(--ai-chat-offset)));
    box-shadow: var(--ai-chat-shadow);
    transform-origin: bottom right;
    animation: rise 180ms cubic-bezier(0.2, 0.8, 0.2, 1);
  }
  :host([mode='launcher']:state(launcher-left)) .panel {
    right: auto;
    left: var(--ai-chat-offset);
    transform-origin: bottom left;
  }
  :host([mode='launcher']:not([open])) .panel {
    display: none;
  }
  @keyframes rise {
    from {
      opacity: 0;
      transform: translateY(8px) scale(0.98);
    }
  }
  @media (max-width: 520px) {
    /* Full screen on a phone, sized to the visual viewport: the composer stays above the on-screen keyboard. */
    :host([mode='launcher'][open]) .panel {
      position: fixed;
      inset: var(--ai-chat-visible-top, 0px) 0 auto;
      width: auto;
      height: var(--ai-chat-visible-height, 100%);
      border-radius: 0;
      border: 0;
    }
    :host([mode='launcher'][open]) .launcher {
      display: none;
    }
  }
  .header {
    position: relative;
    display: flex;
    align-items: center;
    gap: 4px;
    padding-block: 10px;
    padding-inline: 12px 10px;
    border-bottom: 1px solid var(--ai-chat-border);
  }
  .icon-button {
    display: grid;
    place-items: center;
    width: 36px;
    height: 36px;
    border-radius: var(--ai-chat-radius-small);
    color: var(--ai-chat-text-muted);
    transition: background 120ms ease, color 120ms ease;
  }
  .icon-button:hover {
    color: var(--ai-chat-text);
    background: var(--ai-chat-surface-hover);
  }
  .text-button {
    padding: 4px 10px;
    border-radius: 8px;
    font-weight: 600;
    font-size: 0.9em;
  }
  .text-button:hover {
    background: var(--ai-chat-surface-hover);
  }
  /* An icon that points along the line (previous, next) points the other way in a right-to-left language. */
  [dir='rtl'] .directional svg {
    transform: scaleX(-1);
  }
  /* Fingers, not pointers: every control is at least 44 px square and form fields use 16 px text (no zoom on iOS). */
  @media (pointer: coarse), (max-width: 520px) {
    .panel .icon-button,
    .panel .send,
    .panel .stop,
    .panel .text-button {
      min-width: 44px;
      min-height: 44px;
    }
    .panel .picker,
    .panel .jump,
    .panel .load-more,
    .panel .code-bar .copy,
    .panel .model-picker,
    .panel .input,
    .panel .session-rename {
      min-height: 44px;
    }
    .panel .model-picker,
    .panel .session-rename,
    .panel .input {
      font-size: max(16px, 1em);
    }
  }
`;
