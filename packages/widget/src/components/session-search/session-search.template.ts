import { html, nothing } from 'lit';
import type { SearchResult } from '../../chat-client-like.js';
import type { AiChatStrings } from '../../strings.js';
import type { SessionSearchController } from './session-search.controller.js';

/** The snippet with the matched words in `<mark>`: the server's ranges, else the query's words found in it. */
function markSnippet(snippet: string, query: string, highlights: Array<[number, number]> | undefined) {
  let ranges = highlights ?? [];
  if (ranges.length === 0) {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const lower = snippet.toLowerCase();
    ranges = words.flatMap((word) => {
      const at = lower.indexOf(word);
      return at >= 0 ? [[at, at + word.length] as [number, number]] : [];
    });
  }
  const parts: unknown[] = [];
  let from = 0;
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (start < from || end > snippet.length) continue;
    parts.push(snippet.slice(from, start), html`<mark>${snippet.slice(start, end)}</mark>`);
    from = end;
  }
  parts.push(snippet.slice(from));
  return parts;
}

function renderResult(result: SearchResult, query: string, untitled: string, search: SessionSearchController) {
  return html`<li><button type="button" class="search-result" part="search-result" @click=${() => void search.open(result)}>
    <span class="search-title" dir="auto">${result.title || untitled}</span>
    ${result.match ? html`<span class="search-snippet" dir="auto">${markSnippet(result.match.snippet, query, result.match.highlights)}</span>` : nothing}
  </button></li>`;
}

/** The dropdown's search field, and while it holds a query, the sessions found (their snippet with the match marked). */
export function renderSessionSearch(strings: AiChatStrings, search: SessionSearchController) {
  const results = search.query.trim() ? search.results : null;
  return html`<input type="search" class="session-search" part="session-search" aria-label=${strings.searchLabel}
      placeholder=${strings.searchLabel} .value=${search.query} @input=${search.handleInput}>
    ${results === null
      ? nothing
      : results.length === 0
        ? html`<div class="dropdown-empty" role="status">${strings.noSearchResults}</div>`
        : html`<ul class="search-results" aria-label=${strings.searchLabel}>${results.map((result) => renderResult(result, search.query, strings.untitledSession, search))}</ul>`}`;
}
