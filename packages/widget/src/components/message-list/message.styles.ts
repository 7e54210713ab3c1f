import { css } from 'lit';

/** One message: the bubbles, the model label, the typing dots and the stopped or failed notice. */
export const messageStyles = css`
  .message {
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .message.user {
    align-self: flex-end;
    max-width: 85%;
    padding: 9px 14px;
    border-radius: 18px;
    border-end-end-radius: 6px;
    color: var(--ai-chat-user-text);
    background: var(--ai-chat-user-background);
    white-space: pre-wrap;
  }
  .message-model {
    display: flex;
    align-items: center;
    gap: 6px;
    margin-bottom: 2px;
    font-size: 0.78em;
    font-weight: 600;
    color: var(--ai-chat-text-muted);
  }
  .message-model::before {
    content: '';
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: var(--ai-chat-accent);
  }
  .typing {
    display: inline-flex;
    gap: 4px;
    padding: 6px 0;
  }
  .typing span {
    width: 6px;
    height: 6px;
    border-radius: 50%;
    background: var(--ai-chat-text-muted);
    animation: blink 1.2s infinite ease-in-out;
  }
  .typing span:nth-child(2) {
    animation-delay: 0.15s;
  }
  .typing span:nth-child(3) {
    animation-delay: 0.3s;
  }
  @keyframes blink {
    0%,
    80%,
    100% {
      opacity: 0.25;
    }
    40% {
      opacity: 1;
    }
  }
  .notice {
    display: flex;
    align-items: center;
    gap: 8px;
    margin-top: 6px;
    font-size: 0.85em;
    color: var(--ai-chat-text-muted);
  }
  .notice.failed {
    padding-block: 6px;
    padding-inline: 10px 6px;
    border-radius: var(--ai-chat-radius-small);
    color: var(--ai-chat-danger);
    background: var(--ai-chat-danger-soft);
  }
  .notice span {
    flex: 1;
  }
`;
