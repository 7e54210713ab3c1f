import { css } from 'lit';

/** The error banner above the composer. */
export const errorBannerStyles = css`
  .error {
    display: flex;
    align-items: center;
    gap: 10px;
    margin: 0 var(--ai-chat-spacing) 8px;
    padding: 10px 12px;
    border-radius: var(--ai-chat-radius-small);
    color: var(--ai-chat-danger);
    background: var(--ai-chat-danger-soft);
    font-size: 0.9em;
  }
  .error p {
    flex: 1;
    margin: 0;
  }
`;
