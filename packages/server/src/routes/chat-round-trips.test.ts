import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fakeScenario, startFakeOpenAI, testDatabaseUri, type FakeVendorServer } from '@ai-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatApp } from '../app.js';
import { openDatabase, type Database } from '../database/connect-database.js';
import { createLogger } from '../observability/logger.js';
import { createModelRegistry } from '../providers/model-registry.js';
import { loadModelsConfig } from '../providers/models-config.js';
import { openChatStream } from '../testing/chat-stream-client.js';
import { httpClient } from '../testing/http-client.js';

/** One database command as the driver's monitor saw it: where it started and ended in the run's order of events. */
interface RoundTrip {
  name: string;
  collection: string;
  started: number;
  ended: number;
}

let vendor: FakeVendorServer;
let database: Omit<Database, 'found'>;
let server: Server;
let url: string;
const roundTrips: RoundTrip[] = [];
let sequence = 0;
/** Where in the order of events the model was called for each chat, in order. */
const providerCalls: number[] = [];

beforeAll(async () => {
  vendor = await startFakeOpenAI({ respond: () => fakeScenario.reply('counted answer') });
  database = await openDatabase(testDatabaseUri('round_trips'), { monitorCommands: true });
  const client = database.connection.getClient();
  const open = new Map<number, RoundTrip>();
  client.on('commandStarted', (event) => {
    const collection = String(event.command[event.commandName] ?? '');
    open.set(event.requestId, { name: event.commandName, collection, started: ++sequence, ended: Infinity });
  });
  const end = (event: { requestId: number }) => {
    const roundTrip = open.get(event.requestId);
    if (!roundTrip) return;
    open.delete(event.requestId);
    roundTrip.ended = ++sequence;
    roundTrips.push(roundTrip);
  };
  client.on('commandSucceeded', end);
  client.on('commandFailed', end);
  const modelRegistry = createModelRegistry(
    loadModelsConfig({ AI_CHAT_MODELS: JSON.stringify([{ id: 'fake', provider: 'openai-compatible', model: 'm', baseURL: vendor.baseURL, default: true }]) }),
  );
  // Marks the moment the chat flow calls the model, in the same order as the driver's events.
  const findModel = modelRegistry.get;
  modelRegistry.get = (id) => {
    const model = findModel(id);
    return model && { ...model, stream: (request) => (providerCalls.push(++sequence), model.stream(request)) };
  };
  const app = createChatApp({
    database,
    modelRegistry,
    serveWidget: false,
    logger: createLogger({ level: 'silent' }),
    // The limits are on, as in production, but too high to refuse anything here.
    rateLimits: { perTokenPerMinute: 10_000, perIpPerMinute: 10_000, chatPerMinute: 10_000 },
    // Neither text saving nor the sweep runs during the counted exchange.
    chat: { flushIntervalMs: 60_000, sweepIntervalMs: 60_000 },
  });
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await database.close();
  await vendor.close();
});

/** The longest chain of commands each of which started only after the one before it had its answer. */
function sequentialDepth(commands: RoundTrip[]): number {
  const depth = new Map<RoundTrip, number>();
  for (const command of [...commands].sort((a, b) => a.started - b.started)) {
    const before = commands.filter((other) => other.ended < command.started).map((other) => depth.get(other) ?? 0);
    depth.set(command, 1 + Math.max(0, ...before));
  }
  return Math.max(0, ...depth.values());
}

describe('database round trips of POST /api/chat', () => {
  it('waits for at most three sequential round trips in all (two of the chat flow) before calling the model', async () => {
    const http = httpClient(url);
    const { token } = await http.createUser();
    const session = await http.createSession(token);
    // The first exchange warms up connections and titles the session; the second one is counted.
    const sent: number[] = [];
    for (const content of ['first question', 'second question']) {
      sent.push(++sequence);
      const stream = await openChatStream(url, token, { sessionId: session.id, content, clientMessageId: `count-${content.replace(" ", "-")}` });
      await stream.ended;
      expect(stream.errorBody).toBeUndefined();
      expect(stream.events.at(-1)).toMatchObject({ event: 'message-end', data: { message: { status: 'complete', content: 'counted answer' } } });
    }
    expect(providerCalls).toHaveLength(2);
    // What the model waited for: the commands answered before it was called (others ran beside it). Every command
    // counts: rate limit counters, the token's user, the session's lock, the messages.
    const beforeProvider = roundTrips.filter((roundTrip) => roundTrip.started > sent[1]! && roundTrip.ended < providerCalls[1]!);
    const chatFlow = beforeProvider.filter((roundTrip) => roundTrip.collection === 'messages' || roundTrip.collection === 'chat_sessions');
    console.log(
      `[database round trips before the model is called] all: ${beforeProvider.length} commands, ${sequentialDepth(beforeProvider)} sequential` +
        ` (${beforeProvider.map((roundTrip) => `${roundTrip.name} ${roundTrip.collection}`).join(', ')});` +
        ` chat flow: ${chatFlow.length} commands, ${sequentialDepth(chatFlow)} sequential`,
    );
    expect(sequentialDepth(chatFlow)).toBeLessThanOrEqual(2);
    expect(sequentialDepth(beforeProvider)).toBeLessThanOrEqual(3);
    // The rate limit counters were counted (in one step), so the depth above includes them.
    expect(beforeProvider.filter((roundTrip) => roundTrip.collection === 'rate_limits').length).toBeGreaterThanOrEqual(3);
  });

  it('looks a token up beside the rate limit counters when it is not in memory: still three sequential round trips', async () => {
    // The visitor is made by another app on the same database (another server process), so this one never saw it.
    const other = createChatApp({ database, modelRegistry: createModelRegistry(loadModelsConfig({})), serveWidget: false, logger: createLogger({ level: 'silent' }), rateLimits: false });
    const otherServer = other.listen(0, '127.0.0.1');
    await once(otherServer, 'listening');
    const otherHttp = httpClient(`http://127.0.0.1:${(otherServer.address() as AddressInfo).port}`);
    const { token } = await otherHttp.createUser();
    const session = await otherHttp.createSession(token);
    await new Promise((resolve) => otherServer.close(resolve));
    await other.chatRouter.shutdown();
    const started = ++sequence;
    const calls = providerCalls.length;
    const stream = await openChatStream(url, token, { sessionId: session.id, content: 'counted with a lookup' });
    await stream.ended;
    expect(stream.events.at(-1)).toMatchObject({ event: 'message-end', data: { message: { status: 'complete' } } });
    const beforeProvider = roundTrips.filter((roundTrip) => roundTrip.started > started && roundTrip.ended < providerCalls[calls]!);
    expect(beforeProvider.some((roundTrip) => roundTrip.collection === 'access_tokens')).toBe(true);
    expect(sequentialDepth(beforeProvider)).toBeLessThanOrEqual(3);
  });
});
