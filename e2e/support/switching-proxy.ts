import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the proxy passed on, and where to. */
export interface ProxiedRequest {
  method: string;
  path: string;
  /** The origin of the server it went to. */
  target: string;
}

/** An HTTP proxy that sends every request to one of several servers, the one the test chose last. */
export interface SwitchingProxy {
  /** The proxy's own origin, e.g. `http://127.0.0.1:41234`: the page's origin, whichever server answers. */
  readonly url: string;
  /** Every request passed on so far, in order. */
  readonly requests: ProxiedRequest[];
  /** Sends the requests that begin from now on to this server (open responses go on where they are). */
  switchTo(target: string): void;
  close(): Promise<void>;
}

/**
 * Starts a tiny load balancer on 127.0.0.1 for tests of several server processes behind one address: each request
 * goes, whole and streamed both ways, to the target chosen when it arrives, so that a page that reloads after
 * `switchTo()` talks to another process than before.
 */
export async function startSwitchingProxy(initialTarget: string): Promise<SwitchingProxy> {
  let target = new URL(initialTarget);
  const requests: ProxiedRequest[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    requests.push({ method: incoming.method ?? 'GET', path: incoming.url ?? '/', target: target.origin });
    const upstream = request(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    // A page that goes away closes its request; the server behind sees its connection close too.
    outgoing.on('close', () => upstream.destroy());
    incoming.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    switchTo: (next) => void (target = new URL(next)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
