// What the chat pipeline costs: N visitors stream a demo reply at once through the real server (HTTP, SSE, MongoDB
// writes every 500 ms, reply locks). The baseline, in the same run, is the demo model's own stream in process, so the
// difference is the server's overhead.
import { startMongoMemory } from '../packages/mongo-memory/dist/index.js';
import { createModelRegistry, loadModelsConfig, loadServerConfig, startServer } from '../packages/server/dist/index.js';

const VISITORS = Number(process.env.BENCH_VISITORS ?? 20);
const environment = { AI_CHAT_DEMO_DELAY_MS: '0' };

const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
const report = (label, firsts, totals) =>
  console.log(
    `${label.padEnd(44)} first text p50 ${percentile(firsts, 50).toFixed(1).padStart(7)} ms  p95 ${percentile(firsts, 95).toFixed(1).padStart(7)} ms   whole reply p50 ${percentile(totals, 50).toFixed(1).padStart(7)} ms`,
  );

// Baseline: the model alone.
const demo = createModelRegistry(loadModelsConfig(environment)).get('demo');
const baseline = await Promise.all(
  Array.from({ length: VISITORS }, async (_, index) => {
    const started = performance.now();
    let first = 0;
    for await (const part of demo.stream({ messages: [{ role: 'user', content: `question ${index}` }], signal: new AbortController().signal })) {
      if (part.type === 'text-delta' && !first) first = performance.now() - started;
    }
    return { first, total: performance.now() - started };
  }),
);
report(`baseline: demo model in process (${VISITORS} at once)`, baseline.map((run) => run.first), baseline.map((run) => run.total));

const mongo = await startMongoMemory();
const server = await startServer(
  loadServerConfig({ ...environment, PORT: '0', HOST: '127.0.0.1', MONGODB_URI: `${mongo.uri}bench`, LOG_LEVEL: 'silent', RATE_LIMIT_CHAT_PER_MINUTE: '100000', RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_IP_PER_MINUTE: '100000' }),
);
const post = async (path, token, body) => {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body ?? {}),
  });
  return response.json();
};
const visitors = await Promise.all(
  Array.from({ length: VISITORS }, async () => {
    const { token } = await post('/api/users');
    const { session } = await post('/api/sessions', token, {});
    return { token, session };
  }),
);
const chatAll = () => Promise.all(
  visitors.map(async ({ token, session }, index) => {
    const started = performance.now();
    const response = await fetch(`${server.url}/api/chat`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ sessionId: session.id, content: `question ${index}` }),
    });
    let first = 0;
    const decoder = new TextDecoder();
    let text = '';
    for await (const chunk of response.body) {
      text += decoder.decode(chunk, { stream: true });
      if (!first && text.includes('event: text-delta')) first = performance.now() - started;
    }
    if (!text.includes('event: message-end')) throw new Error('stream ended without message-end');
    return { first, total: performance.now() - started };
  }),
);
await chatAll(); // warm-up: the driver's connection pool grows to the concurrency here
const cpuBefore = process.cpuUsage();
const wallBefore = performance.now();
const runs = await chatAll();
const cpu = process.cpuUsage(cpuBefore);
console.log(`cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms over ${(performance.now() - wallBefore).toFixed(0)} ms wall`);
report(`server: POST /api/chat over SSE (${VISITORS} at once)`, runs.map((run) => run.first), runs.map((run) => run.total));

await server.close();
await mongo.stop();
