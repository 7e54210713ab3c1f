// How fast the session dropdown's list is: GET /api/sessions reads denormalised counters from each session. The
// baseline, measured in the same run on the same data, is what listing would cost if it aggregated the messages
// (count and last message per session) instead.
import { startMongoMemory } from '../packages/mongo-memory/dist/index.js';
import { loadServerConfig, startServer } from '../packages/server/dist/index.js';

const SESSIONS = 200;
const MESSAGES_PER_SESSION = 20;
const ROUNDS = 30;

const mongo = await startMongoMemory();
const server = await startServer(
  loadServerConfig({ PORT: '0', HOST: '127.0.0.1', MONGODB_URI: `${mongo.uri}bench`, LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '1000000', RATE_LIMIT_IP_PER_MINUTE: '1000000' }),
);
const { User, ChatSession, Message } = server.database.models;

const user = await User.create({ kind: 'anonymous', tokenHash: 'bench' });
const token = 'bench-token-not-used';
await User.updateOne({ _id: user._id }, { $set: { tokenHash: (await import('node:crypto')).createHash('sha256').update(token).digest('hex') } });
const now = Date.now();
const sessions = await ChatSession.insertMany(
  Array.from({ length: SESSIONS }, (_, index) => ({
    userId: user._id,
    title: `Session ${index}`,
    model: 'demo',
    messageCount: MESSAGES_PER_SESSION,
    lastMessage: { role: 'assistant', preview: 'the last words', createdAt: new Date(now - index * 1000) },
    createdAt: new Date(now - 1_000_000),
    updatedAt: new Date(now - index * 1000),
  })),
  { timestamps: false },
);
await Message.insertMany(
  sessions.flatMap((session) =>
    Array.from({ length: MESSAGES_PER_SESSION }, (_, index) => ({
      sessionId: session._id,
      userId: user._id,
      role: index % 2 ? 'assistant' : 'user',
      content: `message ${index} `.repeat(20),
      status: 'complete',
      createdAt: new Date(now - 100_000 + index),
    })),
  ),
  { timestamps: false },
);

async function time(label, run) {
  await run();
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round += 1) await run();
  const ms = (performance.now() - started) / ROUNDS;
  console.log(`${label.padEnd(58)} ${ms.toFixed(2).padStart(8)} ms/op`);
  return ms;
}

const listed = await time('GET /api/sessions?limit=20 (denormalised, over HTTP)', async () => {
  const response = await fetch(`${server.url}/api/sessions?limit=20`, { headers: { Authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`status ${response.status}`);
  await response.json();
});
const aggregated = await time('baseline: aggregate counts + last message (in process)', async () => {
  const page = await ChatSession.find({ userId: user._id }).sort({ updatedAt: -1, _id: -1 }).limit(20).lean();
  await Message.aggregate([
    { $match: { sessionId: { $in: page.map((session) => session._id) } } },
    { $sort: { createdAt: 1 } },
    { $group: { _id: '$sessionId', count: { $sum: 1 }, last: { $last: '$content' } } },
  ]);
});
console.log(`sessions: ${SESSIONS}, messages: ${SESSIONS * MESSAGES_PER_SESSION}; the list is ${(aggregated / listed).toFixed(1)}x the baseline's speed`);

await server.close();
await mongo.stop();
