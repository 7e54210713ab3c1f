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
 * offset and z-index tokens. The tokens (read into custom-elements.json by scripts/build-manifest.mjs):
 *
 * @cssproperty --ai-chat-font-family - Text font. Default: the system UI font.
 * @cssproperty --ai-chat-mono-font-family - Code font. Default: the system monospace font.
 * @cssproperty --ai-chat-font-size - Base text size. Default: 15px.
 * @cssproperty --ai-chat-line-height - Base line height. Default: 1.6.
 * @cssproperty --ai-chat-background - Panel background. Default: #ffffff (dark: #18181b).
 * @cssproperty --ai-chat-surface - Composer and hover background. Default: #f6f6f7 (dark: #232327).
 * @cssproperty --ai-chat-surface-hover - Hovered controls. Default: #ededf0 (dark: #2c2c31).
 * @cssproperty --ai-chat-text - Text colour. Default: #1d1d22 (dark: #ededf0).
 * @cssproperty --ai-chat-text-muted - Secondary text. Default: #5e5e6b (dark: #a3a3ad).
 * @cssproperty --ai-chat-border - Borders and dividers. Default: #e4e4e9 (dark: #34343a).
 * @cssproperty --ai-chat-accent - Brand colour: launcher, send button, links, focus. Default: #4f46e5 (dark: #8b8cf8).
 * @cssproperty --ai-chat-accent-text - Text on the accent colour. Default: #ffffff (dark: #111114).
 * @cssproperty --ai-chat-accent-soft - Active session and focus halo. Default: #eef0ff (dark: #2a2a44).
 * @cssproperty --ai-chat-user-background - The visitor's bubbles. Default: #f0f0f4 (dark: #2c2c33).
 * @cssproperty --ai-chat-user-text - Text in the visitor's bubbles. Default: #1d1d22 (dark: #ededf0).
 * @cssproperty --ai-chat-code-background - Code blocks. Default: #f6f6f7 (dark: #0f0f12).
 * @cssproperty --ai-chat-code-keyword - Highlighted keywords. Default: #cf222e (dark: #ff7b72).
 * @cssproperty --ai-chat-code-string - Highlighted strings. Default: #0a3069 (dark: #a5d6ff).
 * @cssproperty --ai-chat-code-comment - Highlighted comments. Default: #57606a (dark: #8b949e).
 * @cssproperty --ai-chat-code-number - Highlighted numbers, constants and properties. Default: #0550ae (dark: #79c0ff).
 * @cssproperty --ai-chat-code-function - Highlighted function names. Default: #6639ba (dark: #d2a8ff).
 * @cssproperty --ai-chat-code-type - Highlighted types and built-ins. Default: #953800 (dark: #ffa657).
 * @cssproperty --ai-chat-code-tag - Highlighted tags and inserted lines. Default: #116329 (dark: #7ee787).
 * @cssproperty --ai-chat-code-deleted - Highlighted deleted lines. Default: #82071e (dark: #ffa198).
 * @cssproperty --ai-chat-danger - Errors. Default: #b42318 (dark: #f87171).
 * @cssproperty --ai-chat-danger-soft - Error backgrounds. Default: #fef1f0 (dark: #3a1f22).
 * @cssproperty --ai-chat-radius - Panel and composer corners. Default: 18px.
 * @cssproperty --ai-chat-radius-small - Buttons, items and code corners. Default: 10px.
 * @cssproperty --ai-chat-spacing - Inner padding. Default: 16px.
 * @cssproperty --ai-chat-width - Launcher panel width. Default: 400px.
 * @cssproperty --ai-chat-height - Launcher panel height. Default: 640px.
 * @cssproperty --ai-chat-offset - Launcher distance from the viewport corner. Default: 20px.
 * @cssproperty --ai-chat-z-index - Launcher stacking level. Default: 2147483000.
 * @cssproperty --ai-chat-shadow - Launcher panel and dropdown shadow.
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
