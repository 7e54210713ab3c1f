import { mkdtemp, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient } from '../testing/http-client.js';
import { startTestServer, type TestServer } from '@ai-chat/testkit';

let server: TestServer;

beforeAll(async () => {
  const folder = await mkdtemp(join(tmpdir(), 'ai-chat-assets-'));
  await writeFile(join(folder, 'ai-chat.js'), 'customElements.define("ai-chat", class extends HTMLElement {});');
  await writeFile(join(folder, 'index.html'), '<!doctype html><script type="module" src="/widget/ai-chat.js"></script><ai-chat></ai-chat>');
  server = await startTestServer({ app: { serveWidget: { bundle: join(folder, 'ai-chat.js'), demoPage: join(folder, 'index.html') } } });
});
afterAll(() => server.close());

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
    const etag = bundle.headers.get('etag')!;
    // fetch() turns conditional requests into no-cache ones, so revalidation is checked with a plain HTTP request.
    const revalidated = await new Promise<number>((resolve, reject) =>
      get(`${server.url}/widget/ai-chat.js`, { headers: { 'If-None-Match': etag } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      }).on('error', reject),
    );
    expect(revalidated).toBe(304);
    const versioned = await http.get(`/widget/ai-chat.js?v=${version}`);
    expect(versioned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await http.get('/favicon.ico')).status).toBe(204);
  });
});
