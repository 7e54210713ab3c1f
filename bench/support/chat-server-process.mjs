// One ai-chat server for the chat bench, in a process of its own so that what it measures (CPU, event-loop delay,
// memory) is the server's alone, never the load generator's. BENCH_ENGINE=separate connects to the engine in another
// process (as a real MongoDB would be); BENCH_ENGINE=in-process starts it in this process with its data folder and
// journal, as `npm start` does. Answers the bench over IPC: `mark` starts a measurement window, `stats` ends it.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { connectDatabase, createChatApp, createLogger, createModelRegistry, loadServerConfig } from '../../packages/server/dist/index.js';

const mode = process.env.BENCH_ENGINE ?? 'separate';
const dataDirectory = await mkdtemp(join(tmpdir(), 'ai-chat-bench-'));
let engine;
let uri;
if (mode === 'separate') {
  engine = spawn(process.execPath, [new URL('./engine-process.mjs', import.meta.url).pathname], { stdio: ['pipe', 'pipe', 'inherit'] });
  uri = `${(await createInterface({ input: engine.stdout })[Symbol.asyncIterator]().next()).value.trim()}bench`;
}
const config = loadServerConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  ...(uri ? { MONGODB_URI: uri } : {}),
  DATA_DIR: dataDirectory,
  // High enough never to refuse the bench's visitors (all of them on one IP), but counted as in production.
  RATE_LIMIT_PER_MINUTE: '1000000',
  RATE_LIMIT_IP_PER_MINUTE: '1000000',
  RATE_LIMIT_CHAT_PER_MINUTE: '1000000',
  AI_CHAT_DEMO_DELAY_MS: process.env.BENCH_DEMO_DELAY_MS ?? '0',
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
});
// The CLI's logger (JSON lines to stdout, here /dev/null): logging costs what it costs in production.
const logger = createLogger({ level: config.logLevel });
const monitor = process.env.BENCH_MONITOR === '1';
const database = await connectDatabase({ uri: config.mongodbUri, embedded: config.embeddedDatabase, dataDirectory: config.dataDirectory, monitorCommands: monitor });
const modelRegistry = createModelRegistry(config.models);

// Round trips: every database command, with where it started and ended in one order of events, and when the model
// was called (as the command-count test does).
let sequence = 0;
const commands = [];
const modelCalls = [];
if (monitor) {
  const open = new Map();
  const client = database.connection.getClient();
  client.on('commandStarted', (event) => open.set(event.requestId, { name: event.commandName, collection: String(event.command[event.commandName] ?? ''), started: ++sequence }));
  const end = (event) => {
    const command = open.get(event.requestId);
    if (!command) return;
    open.delete(event.requestId);
    command.ended = ++sequence;
    commands.push(command);
  };
  client.on('commandSucceeded', end);
  client.on('commandFailed', end);
  const get = modelRegistry.get;
  modelRegistry.get = (id) => {
    const model = get(id);
    return model && { ...model, stream: (request) => (modelCalls.push(++sequence), model.stream(request)) };
  };
}

const app = createChatApp({ database, modelRegistry, rateLimits: process.env.BENCH_NO_RATE_LIMITS ? false : config.rateLimits, logger, serveWidget: false, chat: { lockTtlMs: config.replyLockTtlMs } });
const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));

const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
let cpuMark = process.cpuUsage();
let wallMark = performance.now();

/** The longest chain of commands each of which started only after the one before it had its answer. */
function sequentialDepth(list) {
  const depth = new Map();
  for (const command of [...list].sort((a, b) => a.started - b.started)) {
    const before = list.filter((other) => other.ended < command.started).map((other) => depth.get(other) ?? 0);
    depth.set(command, 1 + Math.max(0, ...before));
  }
  return Math.max(0, ...depth.values());
}

async function memory() {
  for (let round = 0; round < 3; round += 1) {
    globalThis.gc?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed, external: usage.external, rss: usage.rss };
}

// The bench went away (it failed or was stopped): stop the engine process too, and end.
process.on('disconnect', () => {
  engine?.kill('SIGTERM');
  process.exit(1);
});

process.on('message', async ({ id, type, ...payload }) => {
  let answer;
  if (type === 'mark') {
    sequence += 1;
    answer = { mark: sequence };
    cpuMark = process.cpuUsage();
    wallMark = performance.now();
    delay.reset();
  } else if (type === 'stats') {
    const cpu = process.cpuUsage(cpuMark);
    answer = {
      cpuMs: (cpu.user + cpu.system) / 1000,
      wallMs: performance.now() - wallMark,
      delayP99Ms: delay.percentile(99) / 1e6,
      delayMaxMs: delay.max / 1e6,
    };
  } else if (type === 'memory') {
    const { ChatSession } = database.models;
    answer = {
      ...(await memory()),
      openStreams: (await app.chatRouter.metrics.openStreams.get()).values.reduce((sum, value) => sum + value.value, 0),
      heldLocks: await ChatSession.countDocuments({ 'replyLock.expiresAt': { $gt: new Date() } }),
      resources: process.getActiveResourcesInfo().reduce((counts, name) => ({ ...counts, [name]: (counts[name] ?? 0) + 1 }), {}),
    };
  } else if (type === 'round-trips') {
    // Commands after the mark that were answered before the model's call after the mark.
    const call = modelCalls.find((at) => at > payload.mark);
    const before = commands.filter((command) => command.started > payload.mark && command.ended < call);
    const all = commands.filter((command) => command.started > payload.mark);
    answer = {
      commands: before.length,
      sequential: sequentialDepth(before),
      names: before.map((command) => `${command.name} ${command.collection}`),
      all: all.map((command) => `${command.name} ${command.collection}`),
    };
  } else if (type === 'stop') {
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
    await app.chatRouter.shutdown();
    await database.close();
    if (engine) {
      engine.kill('SIGTERM');
      await new Promise((resolve) => engine.once('exit', resolve));
    }
    await rm(dataDirectory, { recursive: true, force: true });
    process.send({ id, answer: {} }, () => process.exit(0));
    return;
  }
  process.send({ id, answer });
});
process.send({ ready: true, url: `http://127.0.0.1:${server.address().port}`, database: database.found.description });
