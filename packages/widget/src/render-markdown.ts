import { html, nothing, type TemplateResult } from 'lit';
import { AsyncDirective, directive } from 'lit/async-directive.js';
import type { DirectiveResult } from 'lit/directive.js';
import type { MarkedToken, Token, Tokens } from 'marked';
import { decodeEntities } from './decode-entities.js';
import { highlightCode } from './markdown/highlight-code.js';
import { isImageAllowed, toSafeHref } from './safe-url.js';

/** What a host page allows in rendered messages beyond the safe default, and the texts the markup shows. */
export interface MarkdownOptions {
  /** Origins images may load from (`https://cdn.example.com`), or `*` for any https image. Default: none. */
  imageHosts?: readonly string[];
  /** The label of a code block's copy button. */
  copyLabel?: string;
  /** The copy button's label once the code is on the clipboard. */
  copiedLabel?: string;
  /** Shown in place of an image the host does not allow. */
  imageLabel?: string;
  /**
   * The text is a reply still streaming: markup open at its end (a fence, a code span, emphasis, a link) is closed
   * and dangling markers are held back, so the partial reply already looks like its final form.
   */
  isStreaming?: boolean;
}

/** What `renderMarkdown` returns: Lit templates (and plain strings, which Lit renders as text). */
export type MarkdownContent = TemplateResult | DirectiveResult | string | typeof nothing;

// Only marked's lexer is used: its tokens become Lit templates, so no markdown or HTML string is ever parsed as HTML.
const LEXER_OPTIONS = { gfm: true, breaks: true };

const headings = [
  (content: unknown) => html`<h1>${content}</h1>`,
  (content: unknown) => html`<h2>${content}</h2>`,
  (content: unknown) => html`<h3>${content}</h3>`,
  (content: unknown) => html`<h4>${content}</h4>`,
  (content: unknown) => html`<h5>${content}</h5>`,
  (content: unknown) => html`<h6>${content}</h6>`,
];

type MarkdownLexer = typeof import('./markdown/lexer.js');

let lexer: MarkdownLexer | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads marked's lexer (its own chunk next to the bundle) once; the bundle starts this as soon as it runs, so the
 * lexer is in place before the first history arrives. A load that fails (offline, blocked) is tried again on the next
 * render; until then messages show as plain text, which is still correct.
 */
export function loadMarkdown(): Promise<void> {
  loading ??= import('./markdown/lexer.js').then(
    (module) => {
      lexer = module;
    },
    () => {
      loading = undefined;
    },
  );
  return loading;
}

void loadMarkdown();

class PendingMarkdownDirective extends AsyncDirective {
  private markdown = '';
  private options: MarkdownOptions = {};

  render(markdown: string, options: MarkdownOptions): unknown {
    this.markdown = markdown;
    this.options = options;
    void loadMarkdown().then(() => {
      if (this.isConnected && lexer) this.setValue(renderMarkdown(this.markdown, this.options));
    });
    return html`<p class="plain">${markdown}</p>`;
  }
}

/** The text as it is (whitespace kept) until the lexer has loaded, then rendered. */
const pendingMarkdown = directive(PendingMarkdownDirective);

/**
 * Renders a message's markdown as Lit templates. Every text and attribute is a Lit binding, so the browser never
 * parses any of it as HTML: raw HTML shows as the text it is, links keep only absolute http(s) and mailto targets
 * and open in a new tab, images load only from the hosts allowed, and code blocks get a Copy button. Fenced code
 * with a language is coloured once the highlighter chunk has loaded (on first use); other code stays plain.
 */
export function renderMarkdown(markdown: string, options: MarkdownOptions = {}): MarkdownContent[] {
  if (!lexer) return [pendingMarkdown(markdown, options)];
  return renderBlocks(lexer.Lexer.lex(options.isStreaming ? lexer.closeOpenMarkdown(markdown) : markdown, LEXER_OPTIONS), options);
}

function renderBlocks(tokens: Token[], options: MarkdownOptions): MarkdownContent[] {
  return tokens.map((token) => renderBlock(token as MarkedToken, options));
}

function renderBlock(token: MarkedToken, options: MarkdownOptions): MarkdownContent {
  switch (token.type) {
    case 'paragraph':
      return html`<p>${renderInline(token.tokens, options)}</p>`;
    case 'heading':
      return headings[Math.min(Math.max(token.depth, 1), 6) - 1]!(renderInline(token.tokens, options));
    case 'code':
      return renderCode(token, options);
    case 'blockquote':
      return html`<blockquote>${renderBlocks(token.tokens, options)}</blockquote>`;
    case 'list':
      return renderList(token, options);
    case 'table':
      return renderTable(token, options);
    case 'hr':
      return html`<hr>`;
    case 'html':
      // Raw HTML is shown as the text it is.
      return html`<p class="raw">${token.text.trim()}</p>`;
    case 'space':
    case 'def':
      return nothing;
    default:
      return renderInlineToken(token, options);
  }
}

function renderInline(tokens: Token[] | undefined, options: MarkdownOptions): MarkdownContent[] {
  return (tokens ?? []).map((token) => renderInlineToken(token as MarkedToken, options));
}

function renderInlineToken(token: MarkedToken, options: MarkdownOptions): MarkdownContent {
  switch (token.type) {
    case 'text':
      return token.tokens ? html`${renderInline(token.tokens, options)}` : decodeEntities(token.text);
    case 'escape':
      return token.text;
    case 'strong':
      return html`<strong>${renderInline(token.tokens, options)}</strong>`;
    case 'em':
      return html`<em>${renderInline(token.tokens, options)}</em>`;
    case 'del':
      return html`<del>${renderInline(token.tokens, options)}</del>`;
    case 'codespan':
      return html`<code>${token.text}</code>`;
    case 'br':
      return html`<br>`;
    case 'link':
      return renderLink(token, options);
    case 'image':
      return renderImage(token, options);
    case 'checkbox':
      return html`<input type="checkbox" disabled ?checked=${token.checked}> `;
    case 'html':
      return token.text;
    default:
      return (token as Tokens.Generic).raw;
  }
}

function renderLink(token: Tokens.Link, options: MarkdownOptions): MarkdownContent {
  const content = renderInline(token.tokens, options);
  const href = toSafeHref(token.autolink ? token.href : decodeEntities(token.href));
  const title = token.title ? decodeEntities(token.title) : nothing;
  // A target still arriving while the reply streams (closed as `]()`) shows as a link that goes nowhere yet, so the
  // text does not change style when the target arrives.
  if (!token.href) return html`<a title=${title}>${content}</a>`;
  // An unsafe target keeps its text as plain text: no anchor, no link colour, nothing that looks clickable.
  if (!href) return html`<span class="link-blocked" title=${title}>${content}</span>`;
  return html`<a href=${href} title=${title} target="_blank" rel="noopener noreferrer nofollow">${content}</a>`;
}

function renderImage(token: Tokens.Image, options: MarkdownOptions): MarkdownContent {
  const href = decodeEntities(token.href);
  const alt = decodeEntities(token.text);
  if (isImageAllowed(href, options.imageHosts ?? [])) {
    return html`<img src=${href} alt=${alt} title=${token.title ? decodeEntities(token.title) : nothing} loading="lazy" referrerpolicy="no-referrer">`;
  }
  const label = alt || options.imageLabel || 'image';
  const safe = toSafeHref(href);
  return safe ? html`<a href=${safe} target="_blank" rel="noopener noreferrer nofollow">${label}</a>` : label;
}

function renderCode(token: Tokens.Code, options: MarkdownOptions): TemplateResult {
  const language = (token.lang ?? '').split(/\s/)[0] ?? '';
  const copy = options.copyLabel ?? 'Copy';
  // Both labels are in the markup; the element toggles a class on copy, so Lit's own nodes are never touched. The
  // block scrolls sideways when wide, so it takes focus for keyboard users (tables too).
  return html`<div class="code-block"><div class="code-bar"><span class="code-lang">${language}</span><button type="button" class="copy"><span class="copy-idle">${copy}</span><span class="copy-done">${options.copiedLabel ?? 'Copied'}</span></button></div><pre tabindex="0"><code>${highlightCode(token.text, language)}</code></pre></div>`;
}

function renderList(token: Tokens.List, options: MarkdownOptions): TemplateResult {
  const items = token.items.map((item) => html`<li class=${item.task ? 'task' : nothing}>${renderBlocks(item.tokens, options)}</li>`);
  if (!token.ordered) return html`<ul>${items}</ul>`;
  return html`<ol start=${token.start === '' || token.start === 1 ? nothing : token.start}>${items}</ol>`;
}

function renderTable(token: Tokens.Table, options: MarkdownOptions): TemplateResult {
  const cell = (value: Tokens.TableCell) => renderInline(value.tokens, options);
  const align = (value: Tokens.TableCell) => value.align ?? nothing;
  return html`<table tabindex="0"><thead><tr>${token.header.map((value) => html`<th align=${align(value)}>${cell(value)}</th>`)}</tr></thead>${
    token.rows.length ? html`<tbody>${token.rows.map((row) => html`<tr>${row.map((value) => html`<td align=${align(value)}>${cell(value)}</td>`)}</tr>`)}</tbody>` : nothing
  }</table>`;
}
