import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@ai-chat/testkit';
import { ChatClient, tokenStorageKey } from './chat-client.js';
import type { ChatStreamEvent } from './chat-stream.js';
import { APIUserAbortError, BadRequestError, ConflictError, NotFoundError } from './errors.js';
import type { Message } from '@ai-chat/protocol';
import { createMemoryStorage, type ChatStorage } from './storage.js';

/** The whole contract through the SDK, against the real server on a loopback port with the demo model. */
let server: TestServer;
let slowServer: TestServer;
beforeAll(async () => {
  [server, slowServer] = await Promise.all([
    startTestServer(),
    // Slow enough that a reply is still being written while a test acts on it.
    startTestServer({ env: { AI_CHAT_DEMO_DELAY_MS: '40' } }),
  ]);
});
afterAll(async () => {
  await Promise.all([server?.close(), slowServer?.close()]);
});

function newClient(options: { storage?: ChatStorage; userToken?: string; on?: TestServer } = {}): ChatClient {
  const { on = server, ...rest } = options;
  return new ChatClient({ baseUrl: on.url, storage: createMemoryStorage(), ...rest });
}

function signUserToken(subject: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(server.identitySecret));
}

async function waitForAssistant(client: ChatClient, sessionId: string, isDone: (message: Message) => boolean): Promise<Message> {
  for (let poll = 0; poll < 100; poll++) {
    const { messages } = await client.messages.list(sessionId);
    const assistant = messages.find((message) => message.role === 'assistant');
    if (assistant && isDone(assistant)) return assistant;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the assistant message never reached the expected state');
}

describe('users', () => {
  it('creates an anonymous visitor once and finds it again from storage', async () => {
    const storage = createMemoryStorage();
    const first = newClient({ storage });
    const token = await first.users.ensure();
    const user = await first.users.retrieve();
    expect(user).toMatchObject({ kind: 'anonymous', externalId: null });
    expect(storage.getItem(tokenStorageKey(server.url))).toBe(token);
    expect(await newClient({ storage }).users.retrieve()).toEqual(user);
  });

  it("identifies with the host's JWT and merges the visitor's sessions into the user", async () => {
    const storage = createMemoryStorage();
    const visitor = newClient({ storage });
    const session = await visitor.sessions.create({ title: 'Before signing in' });
    const userToken = await signUserToken(`host-${Date.now()}`);
    const signedIn = newClient({ storage, userToken });
    const user = await signedIn.users.retrieve();
    expect(user).toMatchObject({ kind: 'identified', externalId: expect.stringMatching(/^host-/) });
    expect((await signedIn.sessions.list()).sessions.map((item) => item.id)).toContain(session.id);
    // Another device, signed in as the same user, sees the same history.
    const otherDevice = newClient({ userToken });
    expect((await otherDevice.sessions.retrieve(session.id)).title).toBe('Before signing in');
  });

  it('recovers from an erased user with a fresh visitor instead of failing forever', async () => {
    const storage = createMemoryStorage();
    const client = newClient({ storage });
    const staleToken = await client.users.ensure();
    await client.sessions.create({ title: 'Soon gone' });
    // Erase the user behind the SDK's back, as another tab or a database reset would.
    const erased = await fetch(`${server.url}/api/users/me`, { method: 'DELETE', headers: { authorization: `Bearer ${staleToken}` } });
    expect(erased.status).toBe(204);
    const { sessions } = await client.sessions.list();
    expect(sessions).toEqual([]);
    expect(storage.getItem(tokenStorageKey(server.url))).not.toBe(staleToken);
  });

  it('signs out one browser of an identified user: its token is revoked, the other browser stays signed in', async () => {
    const userToken = await signUserToken('sdk-sign-out');
    const laptop = newClient({ userToken });
    const phone = newClient({ userToken });
    const [laptopToken, phoneToken] = [await laptop.users.ensure(), await phone.users.ensure()];
    expect(laptopToken).not.toBe(phoneToken);
    const session = await laptop.sessions.create({ title: 'Before sign-out' });
    await laptop.users.signOut();
    const revoked = await fetch(`${server.url}/api/users/me`, { headers: { Authorization: `Bearer ${laptopToken}` } });
    expect(revoked.status).toBe(401);
    expect((await phone.sessions.retrieve(session.id)).title).toBe('Before sign-out');
    // The signed-out client goes on as a new anonymous visitor, who sees none of the user's sessions.
    expect(await laptop.users.retrieve()).toMatchObject({ kind: 'anonymous' });
    await expect(laptop.sessions.retrieve(session.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('exports every session with its messages, and deletes the user', async () => {
    const client = newClient();
    const session = await client.sessions.create();
    await client.chat.send({ sessionId: session.id, content: 'Keep this' });
    const exported = await client.users.export();
    expect(exported.sessions).toHaveLength(1);
    expect(exported.sessions[0]?.messages.map((message) => message.role)).toEqual(['user', 'assistant']);
    await client.users.delete();
    expect((await client.sessions.list()).sessions).toEqual([]);
  });
});

describe('config', () => {
  it("reads the deployment's limits and starters without creating a visitor", async () => {
    const storage = createMemoryStorage();
    const starters = await startTestServer({ env: { AI_CHAT_STARTERS: JSON.stringify(['Plan a trip', { prompt: 'Explain tides to a child', label: 'Tides' }]) } });
    try {
      const config = await new ChatClient({ baseUrl: starters.url, storage }).config.retrieve();
      expect(config).toEqual({
        limits: { contentMaxLength: 32_000, titleMaxLength: 100 },
        starters: [{ prompt: 'Plan a trip' }, { prompt: 'Explain tides to a child', label: 'Tides' }],
      });
      expect(storage.getItem(tokenStorageKey(starters.url))).toBeNull();
    } finally {
      await starters.close();
    }
    expect((await newClient().config.retrieve()).starters).toEqual([]);
  });
});

describe('models and sessions', () => {
  it('lists the demo model as the default', async () => {
    const { models } = await newClient().models.list();
    expect(models).toContainEqual(expect.objectContaining({ id: 'demo', provider: 'demo', default: true }));
  });

  it('creates, retrieves, renames and deletes a session', async () => {
    const client = newClient();
    const created = await client.sessions.create({ model: 'demo' });
    expect(created).toMatchObject({ model: 'demo', messageCount: 0, lastMessage: null });
    expect(await client.sessions.retrieve(created.id)).toEqual(created);
    const renamed = await client.sessions.update(created.id, { title: 'Trip to Lisbon' });
    expect(renamed.title).toBe('Trip to Lisbon');
    await client.sessions.delete(created.id);
    await expect(client.sessions.retrieve(created.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reports invalid input as BadRequestError with the field', async () => {
    const client = newClient();
    const created = await client.sessions.create();
    const error = await client.sessions.update(created.id, { title: '' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).details.map((detail) => detail.path)).toContain('title');
    expect((error as BadRequestError).requestId).toBeTruthy();
    await expect(client.sessions.create({ model: 'no-such-model' })).rejects.toBeInstanceOf(BadRequestError);
  });

  it("hides another visitor's session as not found", async () => {
    const owner = await newClient().sessions.create();
    await expect(newClient().sessions.retrieve(owner.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('pages through sessions with the opaque cursor, most recent first', async () => {
    const client = newClient();
    const created: string[] = [];
    for (let index = 0; index < 5; index++) created.push((await client.sessions.create({ title: `Session ${index}` })).id);
    const first = await client.sessions.list({ limit: 2 });
    const second = await client.sessions.list({ limit: 2, cursor: first.nextCursor! });
    const third = await client.sessions.list({ limit: 2, cursor: second.nextCursor! });
    const paged = [...first.sessions, ...second.sessions, ...third.sessions].map((session) => session.id);
    expect(paged).toEqual([...created].reverse());
    expect(third.nextCursor).toBeNull();
    const all: string[] = [];
    for await (const session of client.sessions.listAll({ limit: 2 })) all.push(session.id);
    expect(all).toEqual(paged);
  });
});

describe('chat', () => {
  it('streams a reply from the demo model in order, and text() equals the stored message', async () => {
    const client = newClient();
    const session = await client.sessions.create();
    const stream = client.chat.stream({ sessionId: session.id, content: 'Hello, demo!' });
    const events: ChatStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const types = events.map((event) => event.type);
    expect(types[0]).toBe('message-start');
    expect(types.at(-1)).toBe('message-end');
    expect(types.filter((type) => type === 'text-delta').length).toBeGreaterThan(5);
    expect(types).toContain('session-update');
    const text = await stream.text();
    const deltas = events.map((event) => (event.type === 'text-delta' ? event.delta : '')).join('');
    expect(deltas).toBe(text);
    const { messages } = await client.messages.list(session.id);
    expect(messages.map((message) => [message.role, message.status])).toEqual([['user', 'complete'], ['assistant', 'complete']]);
    expect(messages[1]?.content).toBe(text);
    expect((await stream.finalMessage()).id).toBe(messages[1]?.id);
    const summary = await client.sessions.retrieve(session.id);
    expect(summary.messageCount).toBe(2);
    expect(summary.title).toBe('Hello, demo!');
  });

  it('pages back through messages with before', async () => {
    const client = newClient();
    const session = await client.sessions.create();
    await client.chat.send({ sessionId: session.id, content: 'one' });
    await client.chat.send({ sessionId: session.id, content: 'two' });
    const latest = await client.messages.list(session.id, { limit: 2 });
    expect(latest.hasMore).toBe(true);
    expect(latest.messages.map((message) => message.content)[0]).toBe('two');
    const earlier = await client.messages.list(session.id, { limit: 2, before: latest.messages[0]!.id });
    expect(earlier.messages[0]?.content).toBe('one');
    expect(earlier.hasMore).toBe(false);
  });

  it('sends in JSON mode and returns both stored messages', async () => {
    const client = newClient();
    const session = await client.sessions.create();
    const { userMessage, assistantMessage } = await client.chat.send({ sessionId: session.id, content: 'Hi there' });
    expect(userMessage).toMatchObject({ role: 'user', content: 'Hi there', status: 'complete' });
    expect(assistantMessage).toMatchObject({ role: 'assistant', status: 'complete', model: 'demo' });
    expect(assistantMessage.content.length).toBeGreaterThan(20);
  });

  it('never duplicates a message sent again with the same clientMessageId', async () => {
    const client = newClient();
    const session = await client.sessions.create();
    const clientMessageId = `retry-${Date.now()}`;
    const first = await client.chat.send({ sessionId: session.id, content: 'Only once', clientMessageId });
    const again = await client.chat.send({ sessionId: session.id, content: 'Only once', clientMessageId });
    const streamed = await client.chat.stream({ sessionId: session.id, content: 'Only once', clientMessageId }).finalMessage();
    expect(again.userMessage.id).toBe(first.userMessage.id);
    expect(again.assistantMessage.id).toBe(first.assistantMessage.id);
    expect(streamed.id).toBe(first.assistantMessage.id);
    expect(streamed.content).toBe(first.assistantMessage.content);
    const { messages } = await client.messages.list(session.id);
    expect(messages).toHaveLength(2);
  });

  it('aborts mid-stream while the server still finishes and stores the reply', async () => {
    const client = newClient();
    const session = await client.sessions.create();
    const stream = client.chat.stream({ sessionId: session.id, content: 'Tell me everything' });
    let deltas = 0;
    const failure = await (async () => {
      for await (const event of stream) if (event.type === 'text-delta' && ++deltas === 3) stream.abort();
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(APIUserAbortError);
    expect(deltas).toBe(3);
    const stored = await waitForAssistant(client, session.id, (message) => message.status !== 'streaming');
    expect(stored.status).toBe('complete');
    expect(stored.content.length).toBeGreaterThan(20);
  });

  it('refuses a second message while a reply is being written, and stops it on request', async () => {
    const client = newClient({ on: slowServer });
    const session = await client.sessions.create();
    const stream = client.chat.stream({ sessionId: session.id, content: 'Write slowly' });
    for await (const event of stream) if (event.type === 'text-delta') break;
    await expect(client.chat.send({ sessionId: session.id, content: 'Interrupting' })).rejects.toBeInstanceOf(ConflictError);
    await client.sessions.stop(session.id);
    const stopped = await waitForAssistant(client, session.id, (message) => message.status !== 'streaming');
    expect(stopped.status).toBe('stopped');
  });

  it('ends a stream with a stopped message when stopped while the stream is read', async () => {
    const client = newClient({ on: slowServer });
    const session = await client.sessions.create();
    const stream = client.chat.stream({ sessionId: session.id, content: 'Write slowly' });
    let hasStopped = false;
    for await (const event of stream) {
      if (event.type === 'text-delta' && !hasStopped) {
        hasStopped = true;
        await client.sessions.stop(session.id);
      }
    }
    const message = await stream.finalMessage();
    expect(message.status).toBe('stopped');
    expect(await stream.text()).toBe(message.content);
  });
});
