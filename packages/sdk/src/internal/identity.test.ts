import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient, tokenStorageKey } from '../chat-client.js';
import { AuthenticationError } from '../errors.js';
import { createMemoryStorage } from '../storage.js';
import { countRequests, fakeApi, fixtureUser } from '../testing/fake-api.js';
import { sendError, sendJson, startRawServer, type RawHandler, type RawServer } from '../testing/raw-server.js';

const servers: RawServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(routes: Record<string, RawHandler>): Promise<RawServer> {
  const server = await startRawServer(fakeApi(routes));
  servers.push(server);
  return server;
}

/** `GET /api/models` that answers only the tokens in `valid` (all `visitor-*` tokens when not given). */
function modelsFor(valid?: (token: string) => boolean): RawHandler {
  return (request, response) => {
    const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
    const isValid = valid ? valid(token) : token.startsWith('visitor-');
    if (!isValid) return sendError(response, 401, 'unauthorized', 'Unknown token.');
    sendJson(response, 200, { models: [{ id: 'demo', label: `as ${token}`, provider: 'demo', default: true }] });
  };
}

describe('users.ensure()', () => {
  it('creates one visitor for many concurrent first calls and stores its token', async () => {
    const server = await start({ 'GET /api/models': modelsFor() });
    const storage = createMemoryStorage();
    const client = new ChatClient({ baseUrl: server.url, storage });
    const tokens = await Promise.all([client.users.ensure(), client.users.ensure(), client.users.ensure()]);
    const lists = await Promise.all([client.models.list(), client.models.list()]);
    expect(new Set(tokens)).toEqual(new Set(['visitor-1']));
    expect(lists.map((list) => list.models[0]?.label)).toEqual(['as visitor-1', 'as visitor-1']);
    expect(countRequests(server.requests, 'POST /api/users')).toBe(1);
    expect(storage.getItem(tokenStorageKey(server.url))).toBe('visitor-1');
  });

  it('creates one visitor for two clients of one server sharing a storage (two elements on a page)', async () => {
    const server = await start({ 'GET /api/models': modelsFor() });
    const storage = createMemoryStorage();
    const first = new ChatClient({ baseUrl: server.url, storage });
    const second = new ChatClient({ baseUrl: server.url, storage });
    const tokens = await Promise.all([first.users.ensure(), second.users.ensure(), first.models.list().then(() => first.users.ensure())]);
    expect(new Set(tokens)).toEqual(new Set(['visitor-1']));
    expect(countRequests(server.requests, 'POST /api/users')).toBe(1);
    // Clients with storages of their own stay separate visitors.
    const third = new ChatClient({ baseUrl: server.url, storage: createMemoryStorage() });
    expect(await third.users.ensure()).toBe('visitor-2');
  });

  it('shares one visitor between concurrent calls that start before any ensure()', async () => {
    const server = await start({ 'GET /api/models': modelsFor() });
    const client = new ChatClient({ baseUrl: server.url, storage: createMemoryStorage() });
    await Promise.all(Array.from({ length: 5 }, () => client.models.list()));
    expect(countRequests(server.requests, 'POST /api/users')).toBe(1);
  });

  it('reuses the stored visitor on the next visit', async () => {
    const server = await start({ 'GET /api/models': modelsFor() });
    const storage = createMemoryStorage();
    await new ChatClient({ baseUrl: server.url, storage }).models.list();
    const { models } = await new ChatClient({ baseUrl: server.url, storage }).models.list();
    expect(models[0]?.label).toBe('as visitor-1');
    expect(countRequests(server.requests, 'POST /api/users')).toBe(1);
  });

  it('keeps one visitor per deployment in a shared storage, whatever the trailing slash', async () => {
    const first = await start({});
    const second = await start({});
    const storage = createMemoryStorage();
    await new ChatClient({ baseUrl: first.url, storage }).users.ensure();
    await new ChatClient({ baseUrl: `${second.url}/`, storage }).users.ensure();
    await new ChatClient({ baseUrl: `${first.url}/`, storage }).users.ensure();
    expect(tokenStorageKey(first.url)).not.toBe(tokenStorageKey(second.url));
    expect(tokenStorageKey(`${first.url}/`)).toBe(tokenStorageKey(first.url));
    expect(countRequests(first.requests, 'POST /api/users')).toBe(1);
    expect(countRequests(second.requests, 'POST /api/users')).toBe(1);
  });

  it('keeps visitors in memory in Node when no storage is given', async () => {
    const server = await start({});
    await new ChatClient({ baseUrl: server.url }).users.ensure();
    await new ChatClient({ baseUrl: server.url }).users.ensure();
    expect(countRequests(server.requests, 'POST /api/users')).toBe(2);
  });
});

describe('a token the server no longer knows', () => {
  it('is replaced by a fresh visitor once, and the call retried', async () => {
    const server = await start({ 'GET /api/models': modelsFor() });
    const storage = createMemoryStorage();
    storage.setItem(tokenStorageKey(server.url), 'erased-visitor');
    const client = new ChatClient({ baseUrl: server.url, storage });
    const results = await Promise.all([client.models.list(), client.models.list(), client.models.list()]);
    expect(results.map((result) => result.models[0]?.label)).toEqual(['as visitor-1', 'as visitor-1', 'as visitor-1']);
    expect(countRequests(server.requests, 'POST /api/users')).toBe(1);
    expect(storage.getItem(tokenStorageKey(server.url))).toBe('visitor-1');
  });

  it('fails with AuthenticationError instead of looping when the new token is refused too', async () => {
    const server = await start({ 'GET /api/models': modelsFor(() => false) });
    const storage = createMemoryStorage();
    storage.setItem(tokenStorageKey(server.url), 'erased-visitor');
    const client = new ChatClient({ baseUrl: server.url, storage });
    await expect(client.models.list()).rejects.toBeInstanceOf(AuthenticationError);
    expect(countRequests(server.requests, 'POST /api/users')).toBe(1);
    expect(countRequests(server.requests, 'GET /api/models')).toBe(2);
  });

  it('is forgotten after users.delete(), so the next call starts a new visitor', async () => {
    const server = await start({ 'GET /api/models': modelsFor(), 'DELETE /api/users/me': (_r, response) => void response.writeHead(204).end() });
    const storage = createMemoryStorage();
    const client = new ChatClient({ baseUrl: server.url, storage });
    await client.users.ensure();
    await client.users.delete();
    expect(storage.getItem(tokenStorageKey(server.url))).toBeNull();
    const { models } = await client.models.list();
    expect(models[0]?.label).toBe('as visitor-2');
  });
});

describe('identify with a userToken', () => {
  const identified = (_request: unknown, response: Parameters<RawHandler>[1]) =>
    sendJson(response, 200, { user: { ...fixtureUser(), kind: 'identified', externalId: 'host-42' }, token: 'visitor-identified' });

  it('sends the stored visitor along so its sessions merge, then uses the returned token', async () => {
    const server = await start({ 'POST /api/users/identify': identified, 'GET /api/models': modelsFor() });
    const storage = createMemoryStorage();
    storage.setItem(tokenStorageKey(server.url), 'visitor-anonymous');
    const client = new ChatClient({ baseUrl: server.url, storage, userToken: 'host.jwt.value' });
    const { models } = await client.models.list();
    const identify = server.requests.find((request) => request.path === '/api/users/identify');
    expect(identify?.headers.authorization).toBe('Bearer visitor-anonymous');
    expect(JSON.parse(identify?.body ?? '{}')).toEqual({ userToken: 'host.jwt.value' });
    expect(models[0]?.label).toBe('as visitor-identified');
    expect(countRequests(server.requests, 'POST /api/users')).toBe(0);
    expect(storage.getItem(tokenStorageKey(server.url))).toBeNull();
  });

  it('identifies without a bearer when there is no visitor, and only once for concurrent calls', async () => {
    const server = await start({ 'POST /api/users/identify': identified, 'GET /api/models': modelsFor() });
    const client = new ChatClient({ baseUrl: server.url, storage: createMemoryStorage(), userToken: 'host.jwt.value' });
    await Promise.all([client.models.list(), client.models.list()]);
    const identifies = server.requests.filter((request) => request.path === '/api/users/identify');
    expect(identifies).toHaveLength(1);
    expect(identifies[0]?.headers.authorization).toBeUndefined();
  });

  it('identifies without the stored visitor when the server no longer knows it', async () => {
    const server = await start({
      'POST /api/users/identify': (request, response, index) =>
        request.headers.authorization ? sendError(response, 401, 'unauthorized', 'Unknown token.') : identified(request, response),
      'GET /api/models': modelsFor(),
    });
    const storage = createMemoryStorage();
    storage.setItem(tokenStorageKey(server.url), 'erased-visitor');
    const client = new ChatClient({ baseUrl: server.url, storage, userToken: 'host.jwt.value' });
    const { models } = await client.models.list();
    expect(models[0]?.label).toBe('as visitor-identified');
    expect(countRequests(server.requests, 'POST /api/users/identify')).toBe(2);
  });

  it('rejects with AuthenticationError when the host token is refused', async () => {
    const server = await start({ 'POST /api/users/identify': (_r, response) => sendError(response, 401, 'unauthorized', 'Bad userToken.') });
    const client = new ChatClient({ baseUrl: server.url, storage: createMemoryStorage(), userToken: 'forged' });
    await expect(client.users.ensure()).rejects.toMatchObject({ status: 401, message: 'Bad userToken.' });
  });
});

describe('aborting users.ensure()', () => {
  it('rejects the caller that aborted while the shared request still serves the others', async () => {
    const server = await start({
      'POST /api/users': async (_request, response) => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        sendJson(response, 201, { user: fixtureUser(), token: 'visitor-slow' });
      },
    });
    const client = new ChatClient({ baseUrl: server.url, storage: createMemoryStorage() });
    const controller = new AbortController();
    const aborted = client.users.ensure({ signal: controller.signal });
    const patient = client.users.ensure();
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'APIUserAbortError' });
    await expect(patient).resolves.toBe('visitor-slow');
    expect(countRequests(server.requests, 'POST /api/users')).toBe(1);
  });
});

describe('users.signOut()', () => {
  const signOutRoute = (revoked: string[]): RawHandler => (request, response) => {
    const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
    if (revoked.includes(token) || !token) return sendError(response, 401, 'unauthorized', 'Unknown token.');
    revoked.push(token);
    response.writeHead(204).end();
  };

  it('revokes the token on the server and forgets it: the next call starts a new visitor', async () => {
    const revoked: string[] = [];
    const server = await start({ 'GET /api/models': modelsFor((token) => token.startsWith('visitor-') && !revoked.includes(token)), 'POST /api/users/me/sign-out': signOutRoute(revoked) });
    const storage = createMemoryStorage();
    const client = new ChatClient({ baseUrl: server.url, storage });
    await client.users.ensure();
    await client.users.signOut();
    expect(revoked).toEqual(['visitor-1']);
    expect(storage.getItem(tokenStorageKey(server.url))).toBeNull();
    const { models } = await client.models.list();
    expect(models[0]?.label).toBe('as visitor-2');
  });

  it("stops identifying with the host's userToken once signed out", async () => {
    const revoked: string[] = [];
    const identified = (_request: unknown, response: Parameters<RawHandler>[1]) =>
      sendJson(response, 200, { user: { ...fixtureUser(), kind: 'identified', externalId: 'host-42' }, token: 'visitor-identified' });
    const server = await start({ 'POST /api/users/identify': identified, 'GET /api/models': modelsFor(), 'POST /api/users/me/sign-out': signOutRoute(revoked) });
    const client = new ChatClient({ baseUrl: server.url, storage: createMemoryStorage(), userToken: 'host.jwt.value' });
    await client.models.list();
    await client.users.signOut();
    expect(revoked).toEqual(['visitor-identified']);
    const { models } = await client.models.list();
    expect(models[0]?.label).toBe('as visitor-1');
    expect(countRequests(server.requests, 'POST /api/users/identify')).toBe(1);
  });

  it('counts a token the server no longer knows as signed out, and sends nothing without a token', async () => {
    const revoked = ['erased-visitor'];
    const server = await start({ 'POST /api/users/me/sign-out': signOutRoute(revoked) });
    const storage = createMemoryStorage();
    storage.setItem(tokenStorageKey(server.url), 'erased-visitor');
    await new ChatClient({ baseUrl: server.url, storage }).users.signOut();
    expect(storage.getItem(tokenStorageKey(server.url))).toBeNull();
    await new ChatClient({ baseUrl: server.url, storage }).users.signOut();
    expect(countRequests(server.requests, 'POST /api/users/me/sign-out')).toBe(1);
    expect(countRequests(server.requests, 'POST /api/users')).toBe(0);
  });
});
