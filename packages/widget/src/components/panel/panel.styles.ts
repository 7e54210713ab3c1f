import { css } from 'lit';

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
