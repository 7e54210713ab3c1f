import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@ai-chat/testkit';
import { ChatClient } from './chat-client.js';
import { BadRequestError, ConflictError, NotFoundError } from './errors.js';
import { createMemoryStorage } from './storage.js';

/** Regenerate, edit, versions, feedback and starters through the SDK, against the real server with the demo model. */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { AI_CHAT_STARTERS: JSON.stringify(['Plan a trip', { prompt: 'Explain closures in JavaScript', label: 'Closures' }]) } });
});
afterAll(() => server?.close());

function newClient(): ChatClient {
  return new ChatClient({ baseUrl: server.url, storage: createMemoryStorage() });
}

describe('versions', () => {
  it('regenerates the last reply and steps between the versions', async () => {
    const client = newClient();
    const session = await client.sessions.create();
    const first = await client.chat.send({ sessionId: session.id, content: 'Tell me a fact' });

    const events = [];
    for await (const event of client.chat.stream({ sessionId: session.id, regenerate: true, model: 'demo' })) events.push(event);
    const start = events.find((event) => event.type === 'message-start');
    expect(start?.userMessage.id).toBe(first.userMessage.id);
    expect(start?.assistantMessage.versions).toMatchObject({ index: 2, count: 2 });
    const end = events.at(-1);
    if (end?.type !== 'message-end') throw new Error('the stream did not end with message-end');
    const regenerated = end.message;
    expect(regenerated).toMatchObject({ status: 'complete', versions: { index: 2, count: 2, ids: [first.assistantMessage.id, regenerated.id] } });

    const page = await client.messages.list(session.id);
    expect(page.messages.map((message) => message.id)).toEqual([first.userMessage.id, regenerated.id]);

    const tail = await client.messages.show(first.assistantMessage.id);
    expect(tail).toHaveLength(1);
    expect(tail[0]).toMatchObject({ id: first.assistantMessage.id, versions: { index: 1, count: 2 } });
    expect((await client.messages.list(session.id)).messages.map((message) => message.id)).toEqual([first.userMessage.id, first.assistantMessage.id]);
    expect((await client.sessions.retrieve(session.id)).messageCount).toBe(2);
  });

  it('edits a user message: a new version with a new reply, the earlier exchange kept', async () => {
    const client = newClient();
    const session = await client.sessions.create();
    const first = await client.chat.send({ sessionId: session.id, content: 'Hello thre' });
    const edited = await client.chat.stream({ sessionId: session.id, editOf: first.userMessage.id, content: 'Hello there' }).finalMessage();
    expect(edited.status).toBe('complete');
    const { messages } = await client.messages.list(session.id);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatchObject({ content: 'Hello there', versions: { index: 2, count: 2 } });
    expect(messages[1]!.id).toBe(edited.id);

    const back = await client.messages.show(first.userMessage.id);
    expect(back.map((message) => message.id)).toEqual([first.userMessage.id, first.assistantMessage.id]);
  });

  it('reports what cannot be done as typed errors', async () => {
    const client = newClient();
    const session = await client.sessions.create();
    await expect(client.chat.send({ sessionId: session.id, regenerate: true })).rejects.toBeInstanceOf(ConflictError);
    await expect(client.messages.show('0123456789abcdef01234567')).rejects.toBeInstanceOf(NotFoundError);
    const { assistantMessage } = await client.chat.send({ sessionId: session.id, content: 'Hi' });
    await expect(client.messages.feedback(assistantMessage.id, { rating: 'up', reason: 'x'.repeat(501) })).rejects.toBeInstanceOf(BadRequestError);
    await expect(newClient().messages.feedback(assistantMessage.id, { rating: 'up' })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('feedback', () => {
  it('rates a reply, changes the rating and takes it back', async () => {
    const client = newClient();
    const session = await client.sessions.create();
    const { assistantMessage } = await client.chat.send({ sessionId: session.id, content: 'Rate this' });
    const rated = await client.messages.feedback(assistantMessage.id, { rating: 'up', reason: 'Clear' });
    expect(rated.feedback).toMatchObject({ rating: 'up', reason: 'Clear' });
    const changed = await client.messages.feedback(assistantMessage.id, { rating: 'down' });
    expect(changed.feedback?.rating).toBe('down');
    expect(changed.feedback?.reason).toBeUndefined();
    expect((await client.messages.list(session.id)).messages[1]!.feedback?.rating).toBe('down');
    expect((await client.messages.feedback(assistantMessage.id, { rating: null })).feedback).toBeUndefined();
  });
});

describe('config', () => {
  it("retrieves the deployment's starter prompts and limits without a visitor token", async () => {
    const config = await newClient().config.retrieve();
    expect(config.starters).toEqual([{ prompt: 'Plan a trip' }, { prompt: 'Explain closures in JavaScript', label: 'Closures' }]);
    expect(config.limits).toEqual({ contentMaxLength: 32000, titleMaxLength: 100 });
  });
});
