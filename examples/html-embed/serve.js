// @ts-check
// A tiny static server for index.html, on another origin than the chat server, to show cross-origin embedding.
// AI_CHAT_SERVER points the page at a chat server other than http://localhost:3000 (the `npm start` default).
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';

const DEFAULT_CHAT_SERVER = 'http://localhost:3000';
const chatServer = (process.env.AI_CHAT_SERVER ?? DEFAULT_CHAT_SERVER).replace(/\/+$/, '');
const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';
const page = (await readFile(new URL('./index.html', import.meta.url), 'utf8')).replaceAll(DEFAULT_CHAT_SERVER, chatServer);

const server = createServer((request, response) => {
  if (request.method === 'GET' && (request.url === '/' || request.url === '/index.html')) {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
    response.end(page);
    return;
  }
  response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  response.end('Not found');
});

server.listen(port, host, () => {
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  console.log(`html-embed example: open http://${host}:${actualPort} (chat server: ${chatServer})`);
});

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => server.close(() => process.exit(0)));
