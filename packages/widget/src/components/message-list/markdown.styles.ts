import { css } from 'lit';

/** Rendered markdown in a reply: text, lists, tables, links, images and code blocks with their Copy button. */
export const markdownStyles = css`
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
    padding-block: 4px;
    padding-inline: 12px 6px;
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
  .content .raw,
  .content .plain {
    white-space: pre-wrap;
  }
  .content .task {
    list-style: none;
  }
  .content .task input {
    margin-block: 0;
    margin-inline: -1.3em 0.4em;
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
`;
