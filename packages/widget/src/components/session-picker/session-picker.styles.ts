import { css } from 'lit';

/** The session picker button and its dropdown. */
export const sessionPickerStyles = css`
  .picker {
    flex: 1;
    min-width: 0;
    contain: inline-size;
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 4px 8px;
    border-radius: var(--ai-chat-radius-small);
    text-align: start;
    transition: background 120ms ease;
  }
  .picker:hover,
  .picker[aria-expanded='true'] {
    background: var(--ai-chat-surface-hover);
  }
  .picker-text {
    display: flex;
    flex-direction: column;
    min-width: 0;
    line-height: 1.3;
  }
  .picker-heading {
    font-size: 0.78em;
    font-weight: 500;
    color: var(--ai-chat-text-muted);
  }
  .picker-title {
    font-weight: 600;
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  .picker svg {
    width: 16px;
    height: 16px;
    color: var(--ai-chat-text-muted);
    transition: transform 160ms ease;
  }
  .picker[aria-expanded='true'] svg {
    transform: rotate(180deg);
  }
  .dropdown {
    position: absolute;
    z-index: 2;
    top: calc(100% + 6px);
    left: 8px;
    right: 8px;
    display: flex;
    flex-direction: column;
    max-height: min(440px, 70vh);
    padding: 6px;
    background: var(--ai-chat-background);
    border: 1px solid var(--ai-chat-border);
    border-radius: 14px;
    box-shadow: var(--ai-chat-shadow);
    animation: drop 140ms cubic-bezier(0.2, 0.8, 0.2, 1);
  }
  @keyframes drop {
    from {
      opacity: 0;
      transform: translateY(-4px);
    }
  }
  .dropdown-label {
    padding: 6px 10px 4px;
    font-size: 0.75em;
    font-weight: 600;
    letter-spacing: 0.04em;
    text-transform: uppercase;
    color: var(--ai-chat-text-muted);
  }
  .danger {
    color: var(--ai-chat-danger);
  }
  .dropdown-empty {
    padding: 18px 12px;
    text-align: center;
    color: var(--ai-chat-text-muted);
    font-size: 0.9em;
  }
  .load-more {
    margin: 4px auto 2px;
    color: var(--ai-chat-text-muted);
  }
`;
