// The chat path's figures of issue 13, each next to its goal and a baseline measured in the same run: the model
// alone (the demo model's own stream, called directly in this process), an idle process's event-loop delay, the
// server's cheapest HTTP answer. The server runs in a child process (so its CPU, event-loop delay and memory are its
// own, never the load generator's), twice: with the engine in a third process, as a real MongoDB would be, and with
// the engine inside the server process with its data folder and journal, as `npm start` runs it.
//
// BENCH_ENGINES=separate,in-process picks the modes; BENCH_STREAMS (1000) the concurrent streams; BENCH_CHATS (50)
// the chats started at once; BENCH_PROFILE=folder writes CPU profiles of the server processes there. Figures on a shared machine are noisy: the load average is printed with them.
import { fork } from 'node:child_process';
import { loadavg, cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { createModelRegistry, loadModelsConfig } from '../packages/server/dist/index.js';

const MODES = (process.env.BENCH_ENGINES ?? 'separate,in-process').split(',');
const STREAMS = Number(process.env.BENCH_STREAMS ?? 1000);
const CHATS = Number(process.env.BENCH_CHATS ?? 50);
const IDLE_CHATS = 20;
const SLOW_DELAY_MS = 60;

const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
const median = (values) => percentile(values, 50);
const load = () => loadavg().map((value) => value.toFixed(1)).join(' ');
const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;

/** Runs `count` tasks with at most `width` at a time. */
async function inBatches(count, width, task) {
  const results = new Array(count);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, count) }, async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  }));
  return results;
}

/** Starts the bench's server in a child process and returns its URL and a way to ask it for figures. */
async function launch(mode, env) {
  const child = fork(new URL('./support/chat-server-process.mjs', import.meta.url).pathname, {
    // BENCH_PROFILE=folder writes a CPU profile of each server process there (node --cpu-prof).
    execArgv: ['--expose-gc', ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [])],
    env: { ...process.env, BENCH_ENGINE: mode, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const pending = new Map();
  let lastId = 0;
  const ready = new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    child.on('message', (message) => {
      if (message.ready) resolve(message);
      else pending.get(message.id)?.(message.answer);
    });
  });
  const { url, database } = await ready;
  const ask = (type, payload = {}) =>
    new Promise((resolve) => {
      const id = ++lastId;
      pending.set(id, resolve);
      child.send({ id, type, ...payload });
    });
  const stop = async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await ask('stop');
    await exited;
  };
  return { url, database, ask, stop };
}

async function json(url, path, token, body, method = body === undefined ? 'GET' : 'POST') {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function visitor(url) {
  const { token } = await json(url, '/api/users', undefined, {});
  const { session } = await json(url, '/api/sessions', token, {});
  return { token, session };
}

/**
 * At most this many chats wait for their response headers at once: a thousand connections opened in the same
 * instant overflow the listen backlog (511), and the retried SYNs then take seconds. The streams themselves all run
 * at once.
 */
const opening = { width: 100, busy: 0, waiting: [] };
async function open(send) {
  if (opening.busy >= opening.width) await new Promise((resolve) => opening.waiting.push(resolve));
  opening.busy += 1;
  try {
    return await send();
  } finally {
    opening.busy -= 1;
    opening.waiting.shift()?.();
  }
}

/** One chat over SSE: when its first text arrived and when it ended, in ms since it was sent. */
async function chat(url, { token, session }, content, onFirst) {
  const started = performance.now();
  const response = await open(() => fetch(`${url}/api/chat`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ sessionId: session.id, content }),
  }));
  if (response.status !== 200) throw new Error(`POST /api/chat: ${response.status} ${await response.text()}`);
  let first = 0;
  const decoder = new TextDecoder();
  let tail = '';
  let ended = false;
  for await (const chunk of response.body) {
    tail = (tail + decoder.decode(chunk, { stream: true })).slice(-4096);
    if (!first && tail.includes('event: text-delta')) {
      first = performance.now() - started;
      onFirst?.();
    }
    if (tail.includes('event: message-end')) ended = true;
  }
  if (!ended) throw new Error('stream ended without message-end');
  return { first, total: performance.now() - started };
}

/** The demo model's own streams, `count` at once, in this process: the baseline. */
async function modelAlone(delayMs, count) {
  const demo = createModelRegistry(loadModelsConfig({ AI_CHAT_DEMO_DELAY_MS: String(delayMs) })).get('demo');
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const runs = await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const begun = performance.now();
      let first = 0;
      let words = 0;
      for await (const part of demo.stream({ messages: [{ role: 'user', content: `question ${index}` }], signal: new AbortController().signal })) {
        if (part.type === 'text-delta') {
          words += 1;
          if (!first) first = performance.now() - begun;
        }
      }
      return { first, total: performance.now() - begun, words };
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  return { runs, wall: performance.now() - started, cpuPerRun: (cpu.user + cpu.system) / 1000 / count, words: runs[0].words };
}

const rows = [];
const row = (figure, mode, value, baseline, goal, met) => {
  rows.push({ figure, mode, value, baseline, goal, met });
  console.log(`  ${met ? 'met   ' : 'MISSED'} ${figure.padEnd(46)} ${value.padStart(16)}   baseline ${baseline.padEnd(30)} goal ${goal}`);
};

console.log(`machine: ${cpus().length} cores, load average ${load()} (1, 5, 15 min); figures under load are noisy`);
const fastModel = await modelAlone(0, CHATS);
const idleModel = await modelAlone(0, 1);
const slowModel = await modelAlone(SLOW_DELAY_MS, STREAMS);
console.log(
  `baseline, the demo model alone in this process: first text ${median(idleModel.runs.map((run) => run.first)).toFixed(2)} ms (one), ` +
    `p50 ${median(fastModel.runs.map((run) => run.first)).toFixed(2)} ms (${CHATS} at once), CPU ${fastModel.cpuPerRun.toFixed(2)} ms per reply of ${fastModel.words} words; ` +
    `${STREAMS} at once with ${SLOW_DELAY_MS} ms between words: all done in ${(slowModel.wall / 1000).toFixed(1)} s`,
);

for (const mode of MODES) {
  // --- Demo model without pauses: round trips, first text, CPU, the session list.
  const fast = await launch(mode, { BENCH_DEMO_DELAY_MS: '0', BENCH_MONITOR: '1' });
  console.log(`\n[${mode}] ${fast.database}; load average ${load()}`);
  const visitors = await inBatches(CHATS, 10, () => visitor(fast.url));
  // Warm-up: connection pools grow to the concurrency, code gets compiled.
  for (let round = 0; round < 2; round += 1) await Promise.all(visitors.map((one, index) => chat(fast.url, one, `warm-up ${round} ${index}`)));

  const { mark } = await fast.ask('mark');
  await chat(fast.url, visitors[0], 'how many round trips?');
  const trips = await fast.ask('round-trips', { mark });
  row('round trips before the model (sequential)', mode, `${trips.sequential} (${trips.commands} cmds)`, '-', '<= 3 sequential', trips.sequential <= 3);
  console.log(`         (before the model: ${trips.names.join(', ')}; the whole chat: ${trips.all.length} commands)`);

  const idleFirsts = [];
  for (let index = 0; index < IDLE_CHATS; index += 1) idleFirsts.push((await chat(fast.url, visitors[index % visitors.length], `one at a time ${index}`)).first);
  const idleModelFirst = median(idleModel.runs.map((run) => run.first));
  const added = median(idleFirsts) - idleModelFirst;
  row('first text, one chat on an idle server', mode, `+${added.toFixed(1)} ms`, `model ${idleModelFirst.toFixed(2)} ms`, '<= 5 ms added', added <= 5);

  const firsts = [];
  let cpuMs = 0;
  let chats = 0;
  for (let round = 0; round < 3; round += 1) {
    await fast.ask('mark');
    const runs = await Promise.all(visitors.map((one, index) => chat(fast.url, one, `at once ${round} ${index}`)));
    const stats = await fast.ask('stats');
    firsts.push(...runs.map((run) => run.first));
    cpuMs += stats.cpuMs;
    chats += runs.length;
  }
  const p50 = median(firsts);
  row(`first text p50, ${CHATS} chats at once`, mode, `${p50.toFixed(1)} ms`, `model ${median(fastModel.runs.map((run) => run.first)).toFixed(2)} ms`, '<= 60 ms', p50 <= 60);
  const perChat = cpuMs / chats;
  row(`server CPU per chat (${fastModel.words} words)`, mode, `${perChat.toFixed(2)} ms`, `model ${fastModel.cpuPerRun.toFixed(2)} ms`, '<= 4 ms', perChat <= 4);

  // The session list: one visitor with 200 sessions, 20 per page; the baseline is the server's cheapest answer.
  const lister = await visitor(fast.url);
  await inBatches(199, 10, () => json(fast.url, '/api/sessions', lister.token, {}));
  const time = async (path, token) => {
    const samples = [];
    for (let round = 0; round < 60; round += 1) {
      const started = performance.now();
      const response = await fetch(`${fast.url}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
      await response.arrayBuffer();
      if (round >= 10) samples.push(performance.now() - started);
    }
    return median(samples);
  };
  const list = await time('/api/sessions?limit=20', lister.token);
  const healthz = await time('/healthz');
  row('GET /api/sessions (20 of 200)', mode, `${list.toFixed(2)} ms`, `GET /healthz ${healthz.toFixed(2)} ms`, '<= 3 ms', list <= 3);
  await fast.stop();

  // --- Many streams at once: the demo model with 60 ms between words.
  const slow = await launch(mode, { BENCH_DEMO_DELAY_MS: String(SLOW_DELAY_MS) });
  const many = await inBatches(STREAMS, 20, () => visitor(slow.url));
  await Promise.all(many.slice(0, 100).map((one, index) => chat(slow.url, one, `warm-up ${index}`)));
  await slow.ask('mark');
  await sleep(1000);
  const idleDelay = await slow.ask('stats');
  const idle = await slow.ask('memory');
  await slow.ask('mark');
  let firstTexts = 0;
  let allStreaming;
  const streaming = new Promise((resolve) => (allStreaming = resolve));
  const started = performance.now();
  const running = Promise.all(many.map((one, index) => chat(slow.url, one, `streaming ${index}`, () => ++firstTexts === STREAMS && allStreaming())));
  await streaming;
  const open = await slow.ask('memory');
  const runs = await running;
  const took = performance.now() - started;
  const stats = await slow.ask('stats');
  // The replies are stored and their locks released before message-end, so nothing should be left: wait for the
  // figures to settle (a timer's last tick), then measure.
  let after;
  for (let attempt = 0; attempt < 20; attempt += 1) {
    after = await slow.ask('memory');
    if (after.openStreams === 0 && after.heldLocks === 0) break;
    await sleep(250);
  }
  await slow.stop();
  const limit = slowModel.wall * 1.5;
  row(`${STREAMS} streams at once: all complete in`, mode, `${(took / 1000).toFixed(1)} s`, `model ${(slowModel.wall / 1000).toFixed(1)} s`, `<= ${(limit / 1000).toFixed(1)} s (1.5x)`, took <= limit && runs.length === STREAMS);
  row('event-loop delay p99 meanwhile', mode, `${stats.delayP99Ms.toFixed(1)} ms`, `idle ${idleDelay.delayP99Ms.toFixed(1)} ms`, '<= 50 ms', stats.delayP99Ms <= 50);
  const perStream = (open.heap + open.external - idle.heap - idle.external) / STREAMS;
  row('memory per open stream (heap+external, GC)', mode, `${(perStream / 1024).toFixed(0)} KB`, `idle ${mb(idle.heap + idle.external)}`, '<= 100 KB', perStream <= 100 * 1024);
  const rssPerStream = (open.rss - idle.rss) / STREAMS;
  console.log(`         (rss: idle ${mb(idle.rss)}, ${STREAMS} open ${mb(open.rss)}, ${(rssPerStream / 1024).toFixed(0)} KB per stream; after ${mb(after.rss)})`);
  const leftover = after.heap + after.external - idle.heap - idle.external;
  const grown = open.heap + open.external - idle.heap - idle.external;
  const back = after.openStreams === 0 && after.heldLocks === 0 && leftover <= Math.max(0.1 * grown, 2 * 1048576);
  row('memory after the streams end (vs idle)', mode, `${leftover >= 0 ? '+' : ''}${mb(leftover)}`, `idle ${mb(idle.heap + idle.external)}`, 'back to idle, 0 open, 0 locks', back);
  console.log(
    `         (open streams ${after.openStreams}, held locks ${after.heldLocks}; timers/sockets idle ${JSON.stringify(idle.resources)} after ${JSON.stringify(after.resources)})`,
  );
}

const missed = rows.filter((entry) => !entry.met);
console.log(`\n${rows.length - missed.length} of ${rows.length} figures meet their goal; load average ${load()}`);
for (const entry of missed) console.log(`  missed: [${entry.mode}] ${entry.figure}: ${entry.value} (goal ${entry.goal})`);
