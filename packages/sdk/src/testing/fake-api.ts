import type { RawHandler } from './raw-server.js';
import { sendError, sendJson } from './raw-server.js';

/** A user as the server sends it. */
export function fixtureUser(id = '65a0000000000000000000aa') {
  return { id, kind: 'anonymous', externalId: null, createdAt: '2025-01-01T00:00:00.000Z' };
}

/**
 * Routes raw requests by `METHOD /path` (query ignored), answering `POST /api/users` with tokens `visitor-1`,
 * `visitor-2`… unless a route replaces it; anything else is a 404 in the contract's shape.
 */
export function fakeApi(routes: Record<string, RawHandler>): RawHandler {
  let visitors = 0;
  const defaults: Record<string, RawHandler> = {
    'POST /api/users': (_request, response) => sendJson(response, 201, { user: fixtureUser(), token: `visitor-${++visitors}` }),
  };
  return (request, response, index) => {
    const route = `${request.method} ${request.path.split('?')[0]}`;
    const handler = routes[route] ?? defaults[route];
    if (handler) return handler(request, response, index);
    sendError(response, 404, 'not_found', `No route ${route}`);
  };
}

/** Counts the requests a server received for one route. */
export function countRequests(requests: { method: string; path: string }[], route: string): number {
  return requests.filter((request) => `${request.method} ${request.path.split('?')[0]}` === route).length;
}
