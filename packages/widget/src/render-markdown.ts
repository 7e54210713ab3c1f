import DOMPurify from 'dompurify';
import { Marked, type Tokens } from 'marked';

/** What a host page allows in rendered messages beyond the safe default. */
export interface MarkdownOptions {
  /** Origins images may load from (`https://cdn.example.com`), or `*` for any https image. Default: none. */
  imageHosts?: readonly string[];
  /** The label of a code block's copy button. */
  copyLabel?: string;
  /** Shown in place of an image the host does not allow. */
  imageLabel?: string;
}

const SAFE_LINK = /^(?:https?:|mailto:)/i;
const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'img',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'div', 'span', 'button', 'input',
];
const ALLOWED_ATTR = ['href', 'title', 'alt', 'src', 'class', 'type', 'checked', 'disabled', 'start', 'align', 'aria-label'];

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

// Our own instances: the host page's global marked or DOMPurify (in the bundler build) keep their settings.
const purify = DOMPurify(typeof window === 'undefined' ? undefined : window);
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName === 'A') {
    const href = node.getAttribute('href') ?? '';
    if (!SAFE_LINK.test(href)) node.removeAttribute('href');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
    node.setAttribute('target', '_blank');
  }
  if (node.nodeName === 'INPUT' && node.getAttribute('type') !== 'checkbox') node.remove();
});

function isImageAllowed(href: string, hosts: readonly string[]): boolean {
  try {
    const url = new URL(href);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
    return hosts.includes('*') ? url.protocol === 'https:' : hosts.includes(url.origin);
  } catch {
    return false;
  }
}

function createParser(options: MarkdownOptions): Marked {
  const hosts = options.imageHosts ?? [];
  const copyLabel = escapeHtml(options.copyLabel ?? 'Copy');
  return new Marked({
    gfm: true,
    breaks: true,
    async: false,
    renderer: {
      // Raw HTML in a message is shown as the text it is, never parsed.
      html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
      code: ({ text, lang }: Tokens.Code) => {
        const language = escapeHtml((lang ?? '').split(/\s/)[0] ?? '');
        return `<div class="code-block"><div class="code-bar"><span class="code-lang">${language}</span>` +
          `<button type="button" class="copy" aria-label="${copyLabel}">${copyLabel}</button></div>` +
          `<pre><code>${escapeHtml(text)}</code></pre></div>`;
      },
      image: ({ href, text }: Tokens.Image) => {
        if (isImageAllowed(href, hosts)) return `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}">`;
        const label = escapeHtml(text || options.imageLabel || 'image');
        return SAFE_LINK.test(href) ? `<a href="${escapeHtml(href)}">${label}</a>` : label;
      },
    },
  });
}

const parsers = new Map<string, Marked>();

/**
 * Turns a message's markdown into HTML that is safe to put in the page: raw HTML is escaped, links keep only
 * http(s) and mailto targets and open in a new tab, images load only from the hosts allowed, and DOMPurify has the
 * last word on every tag and attribute.
 */
export function renderMarkdown(markdown: string, options: MarkdownOptions = {}): string {
  const key = JSON.stringify(options);
  let parser = parsers.get(key);
  if (!parser) {
    parser = createParser(options);
    parsers.set(key, parser);
  }
  const html = parser.parse(markdown) as string;
  return purify.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
    ALLOW_DATA_ATTR: false,
    RETURN_TRUSTED_TYPE: false,
  }) as string;
}
