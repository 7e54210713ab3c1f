import { createHash } from 'node:crypto';
import helmet from 'koa-helmet';
import type { Middleware } from 'koa';

/** Options of {@link securityHeaders}. */
export interface SecurityHeadersOptions {
  /** Who may show these responses in a frame (CSP `frame-ancestors`): `'self'` or origins. Empty (default): nobody. */
  frameAncestors?: readonly string[];
  /** `Cross-Origin-Resource-Policy`: `cross-origin` (default) where other sites load what is served (the API). */
  resourcePolicy?: 'same-origin' | 'cross-origin';
}

/**
 * Security headers for every response: `nosniff`, no referrer, HSTS, a content security policy that lets nothing load
 * (JSON and scripts need none; the demo page sets its own, see {@link pageContentSecurityPolicy}), and framing refused
 * unless `frameAncestors` allows it.
 */
export function securityHeaders(options: SecurityHeadersOptions = {}): Middleware {
  const ancestors = options.frameAncestors ?? [];
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': ["'none'"],
        'frame-ancestors': ancestors.length > 0 ? [...ancestors] : ["'none'"],
      },
    },
    crossOriginResourcePolicy: { policy: options.resourcePolicy ?? 'cross-origin' },
    crossOriginEmbedderPolicy: false,
    xFrameOptions: legacyFrameOptions(ancestors),
  }) as Middleware;
}

/**
 * The strict content security policy of an HTML page served here: scripts and styles from this origin only, plus the
 * page's own inline `<style>` and `<script>` blocks by hash (so nothing injected can run), requests to this origin only.
 */
export function pageContentSecurityPolicy(html: string, frameAncestors: readonly string[]): string {
  const styles = inlineBlocks(html, 'style').map(hashSource);
  const scripts = inlineBlocks(html, 'script').map(hashSource);
  return [
    "default-src 'none'",
    `script-src 'self'${scripts.map((hash) => ` ${hash}`).join('')}`,
    `style-src 'self'${styles.map((hash) => ` ${hash}`).join('')}`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
    `frame-ancestors ${frameAncestors.length > 0 ? frameAncestors.join(' ') : "'none'"}`,
  ].join('; ');
}

/** `X-Frame-Options` for browsers without CSP `frame-ancestors`; a list of origins has no legacy form, so none. */
function legacyFrameOptions(frameAncestors: readonly string[]): { action: 'deny' | 'sameorigin' } | false {
  if (frameAncestors.length === 0) return { action: 'deny' };
  if (frameAncestors.length === 1 && frameAncestors[0] === "'self'") return { action: 'sameorigin' };
  return false;
}

// The contents of inline blocks (`<script>` only without `src`), exactly as the browser hashes them.
function inlineBlocks(html: string, tag: 'style' | 'script'): string[] {
  const pattern = new RegExp(`<${tag}(\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'gi');
  return [...html.matchAll(pattern)].filter((match) => !/\ssrc\s*=/i.test(match[1] ?? '')).map((match) => match[2]!);
}

function hashSource(content: string): string {
  return `'sha256-${createHash('sha256').update(content, 'utf8').digest('base64')}'`;
}
