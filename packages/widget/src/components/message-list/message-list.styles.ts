import { css } from 'lit';

/** The message log: its scroll box, the empty state, the note about older messages and "Jump to latest". */
export const messageListStyles = css`
  .messages {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    overscroll-behavior: contain;
    padding: var(--ai-chat-spacing) var(--ai-chat-spacing) 8px;
  }
  .thread {
    display: flex;
    flex-direction: column;
    gap: 18px;
    max-width: 760px;
    margin: 0 auto;
  }
  .empty {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 8px;
    min-height: 100%;
    padding: 24px;
    text-align: center;
  }
  .empty-mark {
    display: grid;
    place-items: center;
    width: 48px;
    height: 48px;
    margin-bottom: 4px;
    border-radius: 16px;
    color: var(--ai-chat-accent);
    background: var(--ai-chat-accent-soft);
  }
  .empty-mark svg {
    width: 24px;
    height: 24px;
  }
  .empty h2 {
    margin: 0;
    font-size: 1.25em;
    font-weight: 650;
  }
  .empty p {
    max-width: 300px;
    margin: 0;
    color: var(--ai-chat-text-muted);
    font-size: 0.92em;
  }
  .older {
    padding: 4px;
    text-align: center;
    font-size: 0.85em;
    color: var(--ai-chat-text-muted);
  }
  .jump {
    position: absolute;
    left: 50%;
    bottom: calc(100% + 8px);
    transform: translateX(-50%);
    display: flex;
    align-items: center;
    gap: 4px;
    padding: 6px 12px;
    border: 1px solid var(--ai-chat-border);
    border-radius: 999px;
    background: var(--ai-chat-background);
    box-shadow: 0 4px 14px rgb(15 15 30 / 0.12);
    font-size: 0.85em;
    white-space: nowrap;
  }
`;
