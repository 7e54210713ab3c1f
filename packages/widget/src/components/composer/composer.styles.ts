import { css } from 'lit';

/** The composer at the bottom of the panel: text area, model picker, send and stop. */
export const composerStyles = css`
  .composer-area {
    position: relative;
    padding: 8px var(--ai-chat-spacing) var(--ai-chat-spacing);
  }
  .composer {
    max-width: 760px;
    margin: 0 auto;
    padding-block: 10px 8px;
    padding-inline: 14px 10px;
    border: 1px solid var(--ai-chat-border);
    border-radius: var(--ai-chat-radius);
    background: var(--ai-chat-surface);
    transition: border-color 120ms ease, box-shadow 120ms ease;
  }
  .composer:focus-within {
    border-color: var(--ai-chat-accent);
    box-shadow: 0 0 0 3px var(--ai-chat-accent-soft);
  }
  .input {
    display: block;
    width: 100%;
    min-height: 26px;
    max-height: 180px;
    padding: 2px 0;
    border: 0;
    outline: 0;
    resize: none;
    background: transparent;
    /* 16px keeps mobile browsers from zooming into the page on focus. */
    font-size: max(16px, var(--ai-chat-font-size));
    line-height: 1.5;
  }
  .input::placeholder {
    color: var(--ai-chat-text-muted);
  }
  .composer-row {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 8px;
    margin-top: 6px;
  }
  .model-picker {
    max-width: 60%;
    padding-block: 4px;
    padding-inline: 10px 26px;
    border: 1px solid var(--ai-chat-border);
    border-radius: 999px;
    background: var(--ai-chat-background)
      url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='%238a8a96' stroke-width='2'%3E%3Cpath d='m6 9 6 6 6-6'/%3E%3C/svg%3E")
      no-repeat right 8px center / 14px;
    appearance: none;
    font-size: 0.8em;
    color: var(--ai-chat-text-muted);
    cursor: pointer;
  }
  .counter {
    margin-inline-start: auto;
    font-size: 0.8em;
    font-variant-numeric: tabular-nums;
    color: var(--ai-chat-text-muted);
    white-space: nowrap;
  }
  .counter.over {
    color: var(--ai-chat-danger);
    font-weight: 600;
  }
  [dir='rtl'] .model-picker {
    background-position: left 8px center;
  }
  .send,
  .stop {
    display: grid;
    place-items: center;
    width: 34px;
    height: 34px;
    border-radius: 50%;
    color: var(--ai-chat-accent-text);
    background: var(--ai-chat-accent);
    transition: opacity 120ms ease, transform 120ms ease;
  }
  .send:disabled {
    opacity: 0.35;
  }
  .send:not(:disabled):hover,
  .stop:hover {
    transform: scale(1.06);
  }
  .stop {
    color: var(--ai-chat-background);
    background: var(--ai-chat-text);
  }
`;
