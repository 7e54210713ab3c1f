import { css } from 'lit';

/** The starter prompts in the empty state. */
export const startersStyles = css`
  .starters {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: 8px;
    margin-top: 12px;
    max-width: 520px;
  }
  .starter {
    padding: 8px 14px;
    border: 1px solid var(--ai-chat-border);
    border-radius: 999px;
    color: var(--ai-chat-text);
    background: var(--ai-chat-surface);
    font-size: 0.9em;
    text-align: start;
    transition: background 120ms ease, border-color 120ms ease;
  }
  .starter:hover {
    border-color: var(--ai-chat-accent);
    background: var(--ai-chat-accent-soft);
  }
`;
