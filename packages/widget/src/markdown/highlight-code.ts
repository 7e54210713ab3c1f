import { html } from 'lit';
import { AsyncDirective, directive } from 'lit/async-directive.js';
import type { HighlightToken, highlight } from './highlight.js';

type Highlight = typeof highlight;

let highlighter: Highlight | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads the highlighter chunk once, the first time a code block with a language is shown. A chunk that fails to load
 * (offline, blocked by a host's policy) is not asked for again: code then stays plain, which is still correct.
 */
function loadHighlighter(): Promise<void> {
  loading ??= import('./highlight.js').then(
    (module) => {
      highlighter = module.highlight;
    },
    () => undefined,
  );
  return loading;
}

function renderTokens(tokens: HighlightToken[]): unknown[] {
  return tokens.map(({ text, types }) => (types.length === 0 ? text : html`<span class=${types.map((type) => `t-${type}`).join(' ')}>${text}</span>`));
}

function highlightNow(code: string, language: string): unknown {
  try {
    const tokens = highlighter?.(code, language);
    return tokens ? renderTokens(tokens) : code;
  } catch {
    return code;
  }
}

class HighlightCodeDirective extends AsyncDirective {
  private code = '';
  private language = '';

  render(code: string, language: string): unknown {
    this.code = code;
    this.language = language;
    if (highlighter || !language) return highlightNow(code, language);
    void loadHighlighter().then(() => {
      if (this.isConnected && highlighter) this.setValue(highlightNow(this.code, this.language));
    });
    return code;
  }

  protected override reconnected(): void {
    if (highlighter) this.setValue(highlightNow(this.code, this.language));
  }
}

/**
 * Shows code coloured by its language as Lit templates built from tokens (never an HTML string). The code is shown
 * plain at once; the highlighter chunk loads on first use and then colours it. Unknown languages stay plain.
 */
export const highlightCode = directive(HighlightCodeDirective);
