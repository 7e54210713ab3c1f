import { css } from 'lit';

/** The message log, rendered markdown and the composer. */
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
  .message {
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .message.user {
    align-self: flex-end;
    max-width: 85%;
    padding: 9px 14px;
    border-radius: 18px 18px 6px 18px;
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
  .content > :first-child {
    margin-top: 0;
  }
  .content > :last-child {
    margin-bottom: 0;
  }
  .content p,
  .content ul,
  .content ol,
  .content blockquote,
  .content table,
  .content .code-block {
    margin: 0 0 0.75em;
  }
  .content ul,
  .content ol {
    padding-inline-start: 1.4em;
  }
  .content h1,
  .content h2,
  .content h3,
  .content h4 {
    margin: 1em 0 0.4em;
    font-size: 1.05em;
    line-height: 1.35;
  }
  .content a {
    color: var(--ai-chat-accent);
    text-underline-offset: 2px;
  }
  .content blockquote {
    padding-inline-start: 12px;
    border-inline-start: 3px solid var(--ai-chat-border);
    color: var(--ai-chat-text-muted);
  }
  .content img {
    max-width: 100%;
    border-radius: var(--ai-chat-radius-small);
  }
  .content table {
    display: block;
    overflow-x: auto;
    contain: inline-size;
    border-collapse: collapse;
    font-size: 0.92em;
  }
  .content th,
  .content td {
    padding: 6px 10px;
    border: 1px solid var(--ai-chat-border);
    overflow-wrap: normal;
  }
  .content code {
    font-family: var(--ai-chat-mono-font-family);
    font-size: 0.88em;
    padding: 0.1em 0.35em;
    border-radius: 6px;
    background: var(--ai-chat-code-background);
  }
  .code-block {
    overflow: hidden;
    border: 1px solid var(--ai-chat-border);
    border-radius: var(--ai-chat-radius-small);
    background: var(--ai-chat-code-background);
  }
  .code-bar {
    display: flex;
    align-items: center;
    justify-content: space-between;
    padding: 4px 6px 4px 12px;
    border-bottom: 1px solid var(--ai-chat-border);
    font-size: 0.78em;
    color: var(--ai-chat-text-muted);
  }
  .code-bar .copy {
    padding: 2px 8px;
    border-radius: 6px;
    color: var(--ai-chat-text-muted);
  }
  .code-bar .copy:hover {
    color: var(--ai-chat-text);
    background: var(--ai-chat-surface-hover);
  }
  .copy-done,
  .copied .copy-idle {
    display: none;
  }
  .copied .copy-done {
    display: inline;
  }
  .content .raw {
    white-space: pre-wrap;
  }
  .content .task {
    list-style: none;
  }
  .content .task input {
    margin: 0 0.4em 0 -1.3em;
  }
  .code-block pre {
    margin: 0;
    padding: 10px 12px;
    overflow-x: auto;
    contain: inline-size;
  }
  .code-block code {
    padding: 0;
    background: none;
    font-size: 0.85em;
    line-height: 1.55;
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
    padding: 6px 6px 6px 10px;
    border-radius: var(--ai-chat-radius-small);
    color: var(--ai-chat-danger);
    background: var(--ai-chat-danger-soft);
  }
  .notice span {
    flex: 1;
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

/** The composer at the bottom of the panel. */
export const composerStyles = css`
  .composer-area {
    position: relative;
    padding: 8px var(--ai-chat-spacing) var(--ai-chat-spacing);
  }
  .composer {
    max-width: 760px;
    margin: 0 auto;
    padding: 10px 10px 8px 14px;
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
    padding: 4px 26px 4px 10px;
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
