import { css } from 'lit';

/** One session in the dropdown, with its rename field and delete confirmation. */
export const sessionItemStyles = css`
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
    inset-inline-end: 6px;
    padding-inline-start: 12px;
    border-radius: 8px;
    background: inherit;
    display: flex;
    align-items: flex-start;
    gap: 2px;
    opacity: 0;
    transition: opacity 120ms ease;
  }
  .session-item:hover .session-actions,
  .session-item:focus-visible .session-actions,
  .session-actions.keyboard {
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
`;
