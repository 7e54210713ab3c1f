const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

function parseAbsolute(href: string): URL | undefined {
  try {
    return new URL(href);
  } catch {
    return undefined;
  }
}

/**
 * The link target to put in the page, or undefined when it is not an absolute `http:`, `https:` or `mailto:` URL.
 * The browser's own URL parser decides the scheme (it strips the blanks and control characters that hide
 * `java\tscript:`), so what is checked here is what a click would open.
 */
export function toSafeHref(href: string): string | undefined {
  const url = parseAbsolute(href);
  return url && SAFE_PROTOCOLS.has(url.protocol) ? href : undefined;
}

/** Whether an image may load from this URL: only http(s), and only from `hosts` (`*` allows any https image). */
export function isImageAllowed(href: string, hosts: readonly string[]): boolean {
  const url = parseAbsolute(href);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return false;
  return hosts.includes('*') ? url.protocol === 'https:' : hosts.includes(url.origin);
}
