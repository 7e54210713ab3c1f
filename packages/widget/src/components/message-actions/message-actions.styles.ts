import { css } from 'lit';

/** The actions under a message, the rating's reason field and the inline editor of a user message. */
export const messageActionsStyles = css`
  .message-turn.user {
    display: flex;
    flex-direction: column;
    align-items: flex-end;
    align-self: flex-end;
    max-width: 85%;
  }
  .message-turn.user > .message.user {
    max-width: 100%;
  }
  .message-turn.editing {
    align-self: stretch;
    max-width: none;
  }
  .message-actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 2px;
    margin-top: 4px;
    color: var(--ai-chat-text-muted);
  }
  .message-actions .icon-button {
    width: 30px;
    height: 30px;
  }
  .message-actions svg {
    width: 16px;
    height: 16px;
  }
  .message-actions .copied,
  .message-actions [aria-pressed='true'] {
    color: var(--ai-chat-accent);
  }
  .message-actions [aria-pressed='true'] svg {
    fill: currentColor;
    fill-opacity: 0.2;
  }
  .message-actions .down svg {
    transform: scaleY(-1);
  }
  .versions {
    display: inline-flex;
    align-items: center;
    font-size: 0.8em;
    font-variant-numeric: tabular-nums;
  }
  .versions .previous svg {
    transform: rotate(90deg);
  }
  .versions .next svg {
    transform: rotate(-90deg);
  }
  .message-actions .icon-button:disabled {
    opacity: 0.4;
    background: none;
  }
  .reason,
  .message-editor {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px;
    margin-top: 6px;
  }
  .reason input,
  .message-editor textarea {
    flex: 1 1 200px;
    min-width: 0;
    padding: 6px 10px;
    border: 1px solid var(--ai-chat-border);
    border-radius: var(--ai-chat-radius-small);
    color: var(--ai-chat-text);
    background: var(--ai-chat-background);
  }
  .message-editor {
    align-self: stretch;
  }
  .message-editor textarea {
    flex-basis: 100%;
    resize: vertical;
  }
  .editor-buttons {
    display: flex;
    gap: 6px;
    margin-left: auto;
  }
  .primary-button {
    padding: 4px 12px;
    border-radius: 8px;
    font-weight: 600;
    font-size: 0.9em;
    color: var(--ai-chat-accent-text);
    background: var(--ai-chat-accent);
  }
  .primary-button:disabled {
    opacity: 0.5;
  }
`;
