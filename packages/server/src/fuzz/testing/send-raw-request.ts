import { request, type Agent } from 'node:http';
import type { FuzzRequest } from './fuzz-requests.js';

/** What came back for one fuzz request. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * Sends a request exactly as given (the request target is not normalised, unlike `fetch`, which resolves dot
 * segments) and reads the whole answer, streams included. Resolves `undefined` when the client library refused to
 * send it at all (an invalid header value), which says nothing about the server.
 */
export function sendRawRequest(baseUrl: string, fuzz: FuzzRequest, agent: Agent, limitMs: number): Promise<RawResponse | undefined> {
  const url = new URL(baseUrl);
  const headers: Record<string, string> = { ...fuzz.headers };
  if (fuzz.body && headers['Transfer-Encoding'] === undefined) headers['Content-Length'] = String(fuzz.body.length);
  return new Promise((resolve, reject) => {
    let outgoing;
    try {
      outgoing = request({ host: url.hostname, port: url.port, method: fuzz.method, path: fuzz.target, headers, agent });
    } catch {
      resolve(undefined);
      return;
    }
    const timer = setTimeout(() => {
      outgoing.destroy();
      reject(new Error(`no complete answer within ${limitMs} ms to ${fuzz.method} ${fuzz.target}`));
    }, limitMs);
    outgoing.on('response', (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        clearTimeout(timer);
        resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text: Buffer.concat(chunks).toString('utf8') });
      });
      incoming.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    outgoing.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${fuzz.method} ${fuzz.target}: ${error.message}`));
    });
    outgoing.end(fuzz.body);
  });
}
