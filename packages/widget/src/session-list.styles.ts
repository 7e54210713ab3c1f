import { css } from 'lit';

/** The session picker button and its dropdown. */
export const sessionListStyles = css`
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
  .session-list {
    margin: 0;
    padding: 0;
    list-style: none;
    overflow-y: auto;
    overscroll-behavior: contain;
  }
  .session-item {
    position: relative;
    display: grid;
    grid-template-columns: 8px 1fr;
    column-gap: 8px;
    padding: 9px 10px;
    border-radius: var(--ai-chat-radius-small);
    cursor: pointer;
    outline-offset: -2px;
  }
  .session-item:hover {
    background: var(--ai-chat-surface);
  }
  .session-item[aria-selected='true'] {
    background: var(--ai-chat-accent-soft);
  }
  .session-item[aria-selected='true']::before {
    content: '';
    grid-row: 1;
    align-self: center;
    width: 6px;
    height: 6px;
    border-radius: 50%;
    background: var(--ai-chat-accent);
  }
  .session-main {
    grid-column: 2;
    min-width: 0;
  }
  .session-title-row {
    display: flex;
    align-items: baseline;
    gap: 8px;
  }
  .session-title {
    flex: 1;
    min-width: 0;
    font-weight: 600;
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  .session-time {
    flex: none;
    font-size: 0.78em;
    color: var(--ai-chat-text-muted);
  }
  .session-preview {
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
    font-size: 0.88em;
    color: var(--ai-chat-text-muted);
  }
  .session-meta {
    display: flex;
    gap: 6px;
    margin-top: 3px;
    font-size: 0.74em;
    color: var(--ai-chat-text-muted);
  }
  .chip {
    padding: 1px 7px;
    border-radius: 999px;
    background: var(--ai-chat-surface-hover);
  }
  .session-actions {
    position: absolute;
    top: 6px;
    right: 6px;
    padding-left: 12px;
    border-radius: 8px;
    background: inherit;
    display: flex;
    align-items: flex-start;
    gap: 2px;
    opacity: 0;
    transition: opacity 120ms ease;
  }
  .session-item:hover .session-actions,
  .session-item:focus-visible .session-actions {
    opacity: 1;
  }
  .session-action {
    display: grid;
    place-items: center;
    width: 28px;
    height: 28px;
    border-radius: 8px;
    color: var(--ai-chat-text-muted);
  }
  .session-action:hover {
    color: var(--ai-chat-text);
    background: var(--ai-chat-surface-hover);
  }
  .session-action svg {
    width: 15px;
    height: 15px;
  }
  .session-rename {
    width: 100%;
    padding: 4px 8px;
    border: 1px solid var(--ai-chat-accent);
    border-radius: 8px;
    background: var(--ai-chat-background);
    font-size: 16px;
  }
  .session-confirm {
    display: flex;
    align-items: center;
    gap: 6px;
    flex-wrap: wrap;
    font-size: 0.9em;
  }
  .session-confirm span {
    flex: 1;
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
