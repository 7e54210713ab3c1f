import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@ai-chat/testkit';
import { errorShape, httpClient } from '../testing/http-client.js';

let server: TestServer;

beforeAll(async () => {
  const folder = await mkdtemp(join(tmpdir(), 'ai-chat-assets-'));
  await writeFile(join(folder, 'ai-chat.js'), 'customElements.define("ai-chat", class extends HTMLElement {});');
  await writeFile(join(folder, 'index.html'), `<!doctype html><script type="module" src="/widget/ai-chat.js"></script><style>${PAGE_STYLE}</style><ai-chat></ai-chat>`);
  await mkdir(join(folder, 'chunks'));
  await writeFile(join(folder, 'chunks', 'highlight-3f2a9c1d.js'), `export const languages = ${JSON.stringify('x'.repeat(4000))};`);
  await writeFile(join(folder, 'secret.txt'), 'not a chunk');
  assets = { bundle: join(folder, 'ai-chat.js'), demoPage: join(folder, 'index.html') };
  server = await startTestServer({ app: { serveWidget: assets } });
});
afterAll(() => server.close());

const PAGE_STYLE = 'body { margin: 0; }';
let assets: { bundle: string; demoPage: string };

describe('widget assets', () => {
  it('serves the bundle with an ETag, and the demo page pointing at its versioned, immutable URL', async () => {
    const http = httpClient(server.url);
    const page = await http.get('/');
    expect(page.headers.get('content-type')).toContain('text/html');
    const version = /\/widget\/ai-chat\.js\?v=([0-9a-f]{12})"/.exec(page.text)?.[1];
    expect(version).toBeDefined();
    const bundle = await http.get('/widget/ai-chat.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    expect(bundle.headers.get('cache-control')).toContain('must-revalidate');
    expect(bundle.headers.get('access-control-allow-origin')).toBe('*');
    expect(bundle.text).toContain('customElements.define');
    const { etag } = (await raw('/widget/ai-chat.js', {})).headers;
    // fetch() turns conditional requests into no-cache ones, so revalidation is checked with a plain HTTP request.
    const revalidated = await new Promise<number>((resolve, reject) =>
      get(`${server.url}/widget/ai-chat.js`, { headers: { 'If-None-Match': etag! } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      }).on('error', reject),
    );
    expect(revalidated).toBe(304);
    const versioned = await http.get(`/widget/ai-chat.js?v=${version}`);
    expect(versioned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await http.get('/favicon.ico')).status).toBe(204);
  });

  it('sends the bundle and its chunks compressed as the browser accepts (brotli, else gzip), with one ETag per encoding', async () => {
    const plain = await raw('/widget/ai-chat.js', { 'Accept-Encoding': 'identity' });
    const brotli = await raw('/widget/ai-chat.js', { 'Accept-Encoding': 'gzip, deflate, br' });
    const gzip = await raw('/widget/ai-chat.js', { 'Accept-Encoding': 'gzip' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(brotliDecompressSync(brotli.body).equals(plain.body)).toBe(true);
    expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
    for (const response of [plain, brotli, gzip]) expect(response.headers.vary).toMatch(/accept-encoding/i);
    expect(new Set([plain.headers.etag, brotli.headers.etag, gzip.headers.etag]).size).toBe(3);

    const chunk = await raw('/widget/chunks/highlight-3f2a9c1d.js', { 'Accept-Encoding': 'br' });
    expect(chunk.status).toBe(200);
    expect(chunk.headers['content-type']).toContain('javascript');
    expect(chunk.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(chunk.headers['access-control-allow-origin']).toBe('*');
    expect(chunk.body.length).toBeLessThan(200);
    expect(brotliDecompressSync(chunk.body).toString()).toContain('export const languages');
  });

  it('serves nothing else from the bundle folder', async () => {
    for (const path of ['/widget/chunks/missing-00000000.js', '/widget/chunks/..%2Fsecret.txt', '/widget/chunks/secret.txt', '/widget/secret.txt']) {
      const response = await raw(path, {});
      expect(response.status, path).toBe(404);
      expect(response.body.toString(), path).not.toContain('not a chunk');
    }
  });
});

/** A plain HTTP GET (fetch would decompress and drop conditional headers), body as bytes. */
function raw(path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) =>
    get(`${server.url}${path}`, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers as Record<string, string | undefined>, body: Buffer.concat(chunks) }));
    }).on('error', reject),
  );
}

describe('security headers of the site', () => {
  const styleHash = `'sha256-${createHash('sha256').update(PAGE_STYLE).digest('base64')}'`;

  it('serves the demo page under a strict content security policy, framed by nobody', async () => {
    const page = await httpClient(server.url).get('/');
    const policy = page.headers.get('content-security-policy') ?? '';
    const directives = Object.fromEntries(policy.split(';').map((directive) => directive.trim().split(/\s+/)).map(([name, ...sources]) => [name, sources]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['style-src']).toEqual(["'self'", styleHash]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['base-uri']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(policy).not.toContain('unsafe');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('lets other sites load the widget bundle, with nosniff', async () => {
    const bundle = await httpClient(server.url).get('/widget/ai-chat.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(bundle.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('sets nosniff and a locked-down policy on every other answer, a 404 in the error shape included', async () => {
    const http = httpClient(server.url);
    for (const path of ['/favicon.ico', '/no/such/page', '/widget/other.js']) {
      const response = await http.get(path);
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('content-security-policy'), path).toContain("default-src 'none'");
    }
    const missing = await http.get('/no/such/page');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject(errorShape('not_found'));
  });

  it('lets the origins of FRAME_ANCESTORS frame the demo page', async () => {
    const framed = await startTestServer({ env: { FRAME_ANCESTORS: 'self, https://intranet.example' }, app: { serveWidget: assets } });
    const page = await httpClient(framed.url).get('/');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'self' https://intranet.example");
    // X-Frame-Options cannot name origins: it is left out so that it does not refuse what the policy allows.
    expect(page.headers.get('x-frame-options')).toBeNull();
    await framed.close();
  });
});
