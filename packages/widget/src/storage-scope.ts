/**
 * The part of a storage key or channel name that tells one server and visitor apart from another: the server's URL
 * and a short, stable, non-secret digest of the visitor's bearer token (the token itself is never written anywhere
 * it was not already). Two elements or tabs of one browser that talk to the same server as the same visitor get the
 * same scope; another visitor of that browser, or another server, never does.
 */
export function storageScope(server: string, token: string): string {
  return `${server}:${digest(token)}`;
}

/** A short, stable, non-secret digest (FNV-1a, 32 bits twice) that tells tokens apart without storing them. */
export function digest(text: string): string {
  let first = 0x811c9dc5;
  let second = 0x01000193;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    first = Math.imul(first ^ code, 0x01000193) >>> 0;
    second = Math.imul(second ^ code, 0x811c9dc5) >>> 0;
  }
  return first.toString(36) + second.toString(36);
}
