import { css } from 'lit';

/** The search field of the sessions dropdown and its results. */
export const sessionSearchStyles = css`
  .session-search {
    width: calc(100% - 16px);
    margin: 4px 8px 8px;
    padding: 7px 10px;
    border: 1px solid var(--ai-chat-border);
    border-radius: var(--ai-chat-radius-small);
    color: var(--ai-chat-text);
    background: var(--ai-chat-background);
    box-sizing: border-box;
  }
  .search-results {
    margin: 0;
    padding: 0 4px 4px;
    list-style: none;
    max-height: 320px;
    overflow-y: auto;
  }
  .search-result {
    display: flex;
    flex-direction: column;
    gap: 2px;
    width: 100%;
    padding: 8px 10px;
    border-radius: var(--ai-chat-radius-small);
    text-align: start;
  }
  .search-result:hover {
    background: var(--ai-chat-surface-hover);
  }
  .search-title {
    font-weight: 600;
  }
  .search-snippet {
    font-size: 0.85em;
    color: var(--ai-chat-text-muted);
  }
  .search-snippet mark {
    color: var(--ai-chat-text);
    background: var(--ai-chat-accent-soft);
    border-radius: 3px;
  }
  .found {
    outline: 2px solid var(--ai-chat-accent);
    outline-offset: 4px;
    border-radius: 6px;
  }
`;
