import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScenario, requestMessages, startFakeAnthropic, startFakeOpenAI, startTestServer, type FakeVendorServer, type TestServer } from '@ai-chat/testkit';
import { openChatStream } from '../testing/chat-stream-client.js';
import { errorShape, httpClient } from '../testing/http-client.js';

let openai: FakeVendorServer;
let anthropic: FakeVendorServer;
let server: TestServer;
let http: ReturnType<typeof httpClient>;

const GPT = { id: 'fake-gpt', label: 'Fake GPT', provider: 'openai-compatible', model: 'gpt-upstream', baseURL: '' };
const CLAUDE = { id: 'fake-claude', label: 'Fake Claude', provider: 'anthropic', model: 'claude-upstream', baseURL: '', apiKeyEnv: 'FAKE_ANTHROPIC_KEY' };

beforeAll(async () => {
  openai = await startFakeOpenAI();
  anthropic = await startFakeAnthropic();
  server = await startTestServer({
    env: {
      AI_CHAT_MODELS: JSON.stringify([{ ...GPT, baseURL: openai.baseURL, default: true }, { ...CLAUDE, baseURL: anthropic.baseURL }]),
      FAKE_ANTHROPIC_KEY: 'sk-ant-test-key-0123456789',
    },
  });
  http = httpClient(server.url);
});
afterAll(async () => {
  await server.close();
  await openai.close();
  await anthropic.close();
});

/** Sends a message (JSON mode) answered by the fake GPT with `reply`. */
async function send(token: string, sessionId: string, content: string, reply: string) {
  openai.enqueue(fakeScenario.reply(reply));
  const response = await http.post('/api/chat', { token, body: { sessionId, content, model: 'fake-gpt' } });
  expect(response.status).toBe(200);
  return response.body as { userMessage: any; assistantMessage: any };
}

async function shown(token: string, sessionId: string) {
  const response = await http.get(`/api/sessions/${sessionId}/messages`, { token });
  expect(response.status).toBe(200);
  return response.body.messages as any[];
}

async function summary(token: string, sessionId: string) {
  return (await http.get(`/api/sessions/${sessionId}`, { token })).body.session;
}

describe('regenerate', () => {
  it('writes a new version of the last reply with the model picked now; the earlier one stays and can be shown again', async () => {
    const { token } = await http.createUser();
    const session = await http.createSession(token);
    const first = await send(token, session.id, 'Name a colour', 'Red');

    const claudeCalls = anthropic.requests.length;
    anthropic.enqueue(fakeScenario.reply('Blue, from Claude'));
    const stream = await openChatStream(server.url, token, { sessionId: session.id, regenerate: true, model: 'fake-claude' });
    expect(stream.status).toBe(200);
    await stream.ended;
    // The new version answers the same question, and the earlier answer is not in what the model saw.
    expect(anthropic.requests.length - claudeCalls).toBe(1);
    expect(requestMessages(anthropic.requests.at(-1)!).filter((message) => message.role !== 'system')).toEqual([{ role: 'user', content: 'Name a colour' }]);
    const start = stream.events[0]!.data;
    expect(start.userMessage.id).toBe(first.userMessage.id);
    expect(start.assistantMessage).toMatchObject({ model: 'fake-claude', status: 'streaming', versions: { index: 2, count: 2 } });
    const end = stream.events.at(-1)!.data.message;
    expect(end).toMatchObject({ content: 'Blue, from Claude', status: 'complete', versions: { index: 2, count: 2 } });

    const messages = await shown(token, session.id);
    expect(messages.map((message) => message.content)).toEqual(['Name a colour', 'Blue, from Claude']);
    expect(messages[0].versions).toBeUndefined();
    expect(messages[1].versions).toEqual({ index: 2, count: 2, ids: [first.assistantMessage.id, end.id] });
    const after = await summary(token, session.id);
    expect(after).toMatchObject({ model: 'fake-claude', messageCount: 2, lastMessage: { role: 'assistant', preview: 'Blue, from Claude' } });

    // Stepping back to the first version: the list, the count and the preview follow it.
    const back = await http.post(`/api/messages/${first.assistantMessage.id}/show`, { token });
    expect(back.status).toBe(200);
    expect(back.body.messages).toHaveLength(1);
    expect(back.body.messages[0]).toMatchObject({ id: first.assistantMessage.id, content: 'Red', versions: { index: 1, count: 2 } });
    expect((await shown(token, session.id)).map((message) => message.content)).toEqual(['Name a colour', 'Red']);
    expect(await summary(token, session.id)).toMatchObject({ messageCount: 2, lastMessage: { role: 'assistant', preview: 'Red' } });

    // A message sent now follows the version shown, and the model sees that version.
    await send(token, session.id, 'Another', 'Green');
    const history = requestMessages(openai.requests.at(-1)!).filter((message) => message.role !== 'system');
    expect(history).toEqual([
      { role: 'user', content: 'Name a colour' },
      { role: 'assistant', content: 'Red' },
      { role: 'user', content: 'Another' },
    ]);
    expect(await summary(token, session.id)).toMatchObject({ messageCount: 4 });
  });

  it('is refused when there is no reply to regenerate, with content, or combined with editOf', async () => {
    const { token } = await http.createUser();
    const session = await http.createSession(token);
    const empty = await http.post('/api/chat', { token, body: { sessionId: session.id, regenerate: true } });
    expect(empty.status).toBe(409);
    expect(empty.body).toMatchObject(errorShape('conflict'));
    const withContent = await http.post('/api/chat', { token, body: { sessionId: session.id, regenerate: true, content: 'hi' } });
    expect(withContent.status).toBe(400);
    expect(withContent.body.error.details[0].path).toBe('content');
    const withoutContent = await http.post('/api/chat', { token, body: { sessionId: session.id } });
    expect(withoutContent.status).toBe(400);
    expect(withoutContent.body.error.details[0].path).toBe('content');
    const falseRegenerate = await http.post('/api/chat', { token, body: { sessionId: session.id, regenerate: false } });
    expect(falseRegenerate.status).toBe(400);
    expect(await shown(token, session.id)).toEqual([]);
  });

  it('answers a repeated clientMessageId with the version it wrote, storing no other', async () => {
    const { token } = await http.createUser();
    const session = await http.createSession(token);
    await send(token, session.id, 'Question', 'One');
    openai.enqueue(fakeScenario.reply('Two'));
    const body = { sessionId: session.id, regenerate: true, clientMessageId: 'regen-1' };
    const once = await http.post('/api/chat', { token, body });
    const again = await http.post('/api/chat', { token, body });
    expect(once.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body.assistantMessage.id).toBe(once.body.assistantMessage.id);
    expect(again.body.assistantMessage.content).toBe('Two');
    const messages = await shown(token, session.id);
    expect(messages[1]).toMatchObject({ content: 'Two', versions: { index: 2, count: 2 } });
  });

  it('takes the session reply lock: refused while a reply is written there', async () => {
    const { token } = await http.createUser();
    const session = await http.createSession(token);
    await send(token, session.id, 'Question', 'One');
    openai.enqueue(fakeScenario.hangAfterFirstToken('Slow answer'));
    const writing = await openChatStream(server.url, token, { sessionId: session.id, content: 'Next' });
    await writing.waitFor('text-delta');
    const regenerate = await http.post('/api/chat', { token, body: { sessionId: session.id, regenerate: true } });
    expect(regenerate.status).toBe(409);
    const show = await http.post(`/api/messages/${writing.events[0]!.data.userMessage.id}/show`, { token });
    expect(show.status).toBe(409);
    expect((await http.post(`/api/sessions/${session.id}/stop`, { token })).status).toBe(202);
    await writing.ended;
  });
});

describe('edit', () => {
  it('writes a new version of the last user message and a new reply; the earlier exchange stays', async () => {
    const { token } = await http.createUser();
    const session = await http.createSession(token);
    const first = await send(token, session.id, 'Hello', 'Hi there');
    const second = await send(token, session.id, 'Wht is 2+2', 'Pardon?');

    openai.enqueue(fakeScenario.reply('Four'));
    const stream = await openChatStream(server.url, token, { sessionId: session.id, editOf: second.userMessage.id, content: 'What is 2+2?' });
    await stream.ended;
    // The user message is stored (and shown) before the provider is called; the model sees the new text only.
    const history = requestMessages(openai.requests.at(-1)!).filter((message) => message.role !== 'system');
    expect(history).toEqual([
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Hi there' },
      { role: 'user', content: 'What is 2+2?' },
    ]);
    const start = stream.events[0]!.data;
    expect(start.userMessage).toMatchObject({ content: 'What is 2+2?', versions: { index: 2, count: 2, ids: [second.userMessage.id, expect.any(String)] } });

    const messages = await shown(token, session.id);
    expect(messages.map((message) => message.content)).toEqual(['Hello', 'Hi there', 'What is 2+2?', 'Four']);
    expect(await summary(token, session.id)).toMatchObject({ messageCount: 4, lastMessage: { role: 'assistant', preview: 'Four' } });

    // Back to the first version: its own reply comes back with it.
    const back = await http.post(`/api/messages/${second.userMessage.id}/show`, { token });
    expect(back.body.messages.map((message: any) => message.content)).toEqual(['Wht is 2+2', 'Pardon?']);
    expect(back.body.messages[0].versions).toMatchObject({ index: 1, count: 2 });
    expect((await shown(token, session.id)).map((message) => message.content)).toEqual(['Hello', 'Hi there', 'Wht is 2+2', 'Pardon?']);
    expect(first.userMessage.id).toBe(messages[0].id);
  });

  it('edits an earlier message: the conversation after it is replaced, and comes back with the earlier version', async () => {
    const { token } = await http.createUser();
    const session = await http.createSession(token);
    const first = await send(token, session.id, 'Plan a trip to Rome', 'Rome it is');
    await send(token, session.id, 'Three days', 'Day one: the Colosseum');

    openai.enqueue(fakeScenario.reply('Paris it is'));
    const edit = await http.post('/api/chat', { token, body: { sessionId: session.id, editOf: first.userMessage.id, content: 'Plan a trip to Paris' } });
    expect(edit.status).toBe(200);
    expect(requestMessages(openai.requests.at(-1)!).filter((message) => message.role !== 'system')).toEqual([{ role: 'user', content: 'Plan a trip to Paris' }]);
    expect((await shown(token, session.id)).map((message) => message.content)).toEqual(['Plan a trip to Paris', 'Paris it is']);
    expect(await summary(token, session.id)).toMatchObject({ messageCount: 2, lastMessage: { preview: 'Paris it is' } });

    const back = await http.post(`/api/messages/${first.userMessage.id}/show`, { token });
    expect(back.body.messages.map((message: any) => message.content)).toEqual(['Plan a trip to Rome', 'Rome it is', 'Three days', 'Day one: the Colosseum']);
    expect(await summary(token, session.id)).toMatchObject({ messageCount: 4, lastMessage: { preview: 'Day one: the Colosseum' } });
  });

  it("refuses to edit a reply, another user's message, or an unknown one (404), storing nothing", async () => {
    const { token } = await http.createUser();
    const other = await http.createUser();
    const session = await http.createSession(token);
    const mine = await send(token, session.id, 'Mine', 'Yours');
    const otherSession = await http.createSession(other.token);
    const theirs = await send(other.token, otherSession.id, 'Theirs', 'Reply');

    const ofReply = await http.post('/api/chat', { token, body: { sessionId: session.id, editOf: mine.assistantMessage.id, content: 'x' } });
    expect(ofReply.status).toBe(404);
    const ofOther = await http.post('/api/chat', { token, body: { sessionId: session.id, editOf: theirs.userMessage.id, content: 'x' } });
    expect(ofOther.status).toBe(404);
    const inOtherSession = await http.post('/api/chat', { token, body: { sessionId: otherSession.id, editOf: theirs.userMessage.id, content: 'x' } });
    expect(inOtherSession.status).toBe(404);
    const withoutContent = await http.post('/api/chat', { token, body: { sessionId: session.id, editOf: mine.userMessage.id } });
    expect(withoutContent.status).toBe(400);
    expect((await shown(token, session.id)).map((message) => message.content)).toEqual(['Mine', 'Yours']);
    expect((await http.post(`/api/messages/${theirs.userMessage.id}/show`, { token })).status).toBe(404);
    expect((await http.post(`/api/messages/not-an-id/show`, { token })).status).toBe(400);
  });
});

describe('feedback', () => {
  it('rates a reply, changes and takes back the rating; stored with the message and counted in /metrics', async () => {
    const { token } = await http.createUser();
    const session = await http.createSession(token);
    const { assistantMessage, userMessage } = await send(token, session.id, 'Rate me', 'Rated');
    const metricLine = (rating: string) => new RegExp(`ai_chat_feedback_total\\{model="fake-gpt",rating="${rating}"\\} (\\d+)`);
    const count = async (rating: string) => Number(metricLine(rating).exec((await http.get('/metrics')).text)?.[1] ?? 0);
    const upBefore = await count('up');
    const downBefore = await count('down');

    const up = await http.put(`/api/messages/${assistantMessage.id}/feedback`, { token, body: { rating: 'up' } });
    expect(up.status).toBe(200);
    expect(up.body.message).toMatchObject({ id: assistantMessage.id, content: 'Rated', feedback: { rating: 'up' } });
    expect(Date.parse(up.body.message.feedback.updatedAt)).not.toBeNaN();
    const down = await http.put(`/api/messages/${assistantMessage.id}/feedback`, { token, body: { rating: 'down', reason: 'Too short' } });
    expect(down.body.message.feedback).toMatchObject({ rating: 'down', reason: 'Too short' });
    expect((await shown(token, session.id))[1].feedback).toMatchObject({ rating: 'down', reason: 'Too short' });
    expect(await count('up')).toBe(upBefore + 1);
    expect(await count('down')).toBe(downBefore + 1);

    const cleared = await http.put(`/api/messages/${assistantMessage.id}/feedback`, { token, body: { rating: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.message.feedback).toBeUndefined();
    expect((await shown(token, session.id))[1].feedback).toBeUndefined();

    const other = await http.createUser();
    expect((await http.put(`/api/messages/${assistantMessage.id}/feedback`, { token: other.token, body: { rating: 'up' } })).status).toBe(404);
    expect((await http.put(`/api/messages/${userMessage.id}/feedback`, { token, body: { rating: 'up' } })).status).toBe(404);
    const long = await http.put(`/api/messages/${assistantMessage.id}/feedback`, { token, body: { rating: 'up', reason: 'x'.repeat(501) } });
    expect(long.status).toBe(400);
    expect(long.body.error.details[0].path).toBe('reason');
    expect((await http.put(`/api/messages/${assistantMessage.id}/feedback`, { token, body: { rating: 'meh' } })).status).toBe(400);
    expect((await http.put(`/api/messages/${assistantMessage.id}/feedback`, { body: { rating: 'up' } })).status).toBe(401);
  });
});

describe('export', () => {
  it('contains every version, which one is shown, how they link, and the ratings', async () => {
    const { token } = await http.createUser();
    const session = await http.createSession(token);
    const first = await send(token, session.id, 'Question', 'Answer one');
    openai.enqueue(fakeScenario.reply('Answer two'));
    const regenerated = await http.post('/api/chat', { token, body: { sessionId: session.id, regenerate: true } });
    await http.put(`/api/messages/${first.assistantMessage.id}/feedback`, { token, body: { rating: 'down', reason: 'Vague' } });

    const exported = await http.get('/api/users/me/export', { token });
    expect(exported.status).toBe(200);
    const messages = exported.body.sessions[0].messages;
    expect(messages).toHaveLength(3);
    expect(messages[0]).toMatchObject({ id: first.userMessage.id, shown: true, parentId: null });
    expect(messages[1]).toMatchObject({ id: first.assistantMessage.id, shown: false, parentId: first.userMessage.id, feedback: { rating: 'down', reason: 'Vague' }, versions: { index: 1, count: 2 } });
    expect(messages[2]).toMatchObject({ id: regenerated.body.assistantMessage.id, shown: true, parentId: first.userMessage.id, content: 'Answer two', versions: { index: 2, count: 2 } });
  });
});
