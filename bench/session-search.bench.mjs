// How fast searching one visitor's conversations is: GET /api/sessions?q= over 1,000 sessions × 20 messages on the
// embedded engine (its text index), for a rare word, a common word and two words. Goal: ≤ 50 ms. The baseline,
// measured in the same run on the same data, is the plain session list (GET /api/sessions?limit=20).
import { createHash } from 'node:crypto';
import { startMongoMemory } from '../packages/mongo-memory/dist/index.js';
import { loadServerConfig, startServer } from '../packages/server/dist/index.js';

const SESSIONS = 1_000;
const MESSAGES_PER_SESSION = 20;
const ROUNDS = 20;
const GOAL_MS = 50;

// A seeded generator, so every run searches the same text.
let seed = 42;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let value = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
  return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
}
const pick = (list) => list[Math.floor(random() * list.length)];

const COMMON = 'the a of to and in is it you that for on with as this be are can what how about your my do would if like have will there some which more when also into time use one make need just know good way new help because first work using should any well different example then these'.split(' ');
const TOPICS = 'travel hotel flight museum recipe garlic oven pasta python function array database index query garden tomato soil invoice budget salary mortgage guitar chord melody running marathon injury stretching camera lens aperture battery charger engine tyre kettle coffee espresso'.split(' ');
const RARE = ['axolotl', 'quasar', 'zeppelin', 'marzipan', 'origami'];

function sentence(words) {
  return Array.from({ length: words }, () => (random() < 0.25 ? pick(TOPICS) : pick(COMMON))).join(' ');
}

function messageText(index) {
  // Replies are longer than questions; a rare word turns up in about one message in 500.
  const words = index % 2 ? 60 + Math.floor(random() * 120) : 8 + Math.floor(random() * 25);
  const text = sentence(words);
  return random() < 0.002 ? `${text} ${pick(RARE)}` : text;
}

const mongo = await startMongoMemory();
const server = await startServer(
  loadServerConfig({ PORT: '0', HOST: '127.0.0.1', MONGODB_URI: `${mongo.uri}bench`, LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '1000000', RATE_LIMIT_IP_PER_MINUTE: '1000000' }),
);
const { User, ChatSession, Message } = server.database.models;
await Promise.all([ChatSession.createIndexes(), Message.createIndexes()]);

const token = 'bench-token-not-used';
const user = await User.create({ kind: 'anonymous', tokenHash: createHash('sha256').update(token).digest('hex') });
const now = Date.now();
const sessions = await ChatSession.insertMany(
  Array.from({ length: SESSIONS }, (_, index) => ({
    userId: user._id,
    title: sentence(4),
    model: 'demo',
    messageCount: MESSAGES_PER_SESSION,
    lastMessage: { role: 'assistant', preview: 'the last words', createdAt: new Date(now - index * 1000) },
    createdAt: new Date(now - 10_000_000),
    updatedAt: new Date(now - index * 1000),
  })),
  { timestamps: false },
);
const loadStarted = performance.now();
for (let from = 0; from < sessions.length; from += 100) {
  await Message.insertMany(
    sessions.slice(from, from + 100).flatMap((session) =>
      Array.from({ length: MESSAGES_PER_SESSION }, (_, index) => ({
        sessionId: session._id,
        userId: user._id,
        role: index % 2 ? 'assistant' : 'user',
        content: messageText(index),
        status: 'complete',
        parentId: null,
        createdAt: new Date(now - 1_000_000 + index),
      })),
    ),
    { timestamps: false },
  );
}
console.log(`loaded ${SESSIONS} sessions × ${MESSAGES_PER_SESSION} messages (text index kept on insert) in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);

async function time(label, path) {
  let found = 0;
  const run = async () => {
    const response = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    if (response.status !== 200) throw new Error(`${path}: status ${response.status}`);
    found = (await response.json()).sessions.length;
  };
  await run();
  const times = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((left, right) => left - right);
  const median = times[Math.floor(times.length / 2)];
  console.log(`${label.padEnd(52)} median ${median.toFixed(1).padStart(7)} ms   max ${times.at(-1).toFixed(1).padStart(7)} ms   (${found} sessions)`);
  return median;
}

const baseline = await time('baseline: GET /api/sessions?limit=20', '/api/sessions?limit=20');
const results = [
  await time('search a rare word (q=axolotl)', '/api/sessions?q=axolotl&limit=20'),
  await time('search a topic word (q=espresso)', '/api/sessions?q=espresso&limit=20'),
  await time('search two words (q=garlic+oven)', '/api/sessions?q=garlic+oven&limit=20'),
  await time('search a common word (q=example)', '/api/sessions?q=example&limit=20'),
];
const worst = Math.max(...results);
console.log(
  `sessions: ${SESSIONS}, messages: ${SESSIONS * MESSAGES_PER_SESSION}; slowest search ${worst.toFixed(1)} ms (${(worst / baseline).toFixed(1)}x the list), goal ≤ ${GOAL_MS} ms: ${worst <= GOAL_MS ? 'met' : 'MISSED'}`,
);

// Where a search's time goes, in process (the driver and the engine, no HTTP): the queries the server sends for
// q=espresso (about half of the replies hold the word), next to the plain list's query.
console.log('in process, q=espresso:');
const steps = {
  'messages: $text hits (sessionId, score), best 500': () =>
    Message.find({ userId: user._id, $text: { $search: 'espresso' }, hidden: { $ne: true } }, { sessionId: 1, score: { $meta: 'textScore' } }).sort({ score: { $meta: 'textScore' } }).limit(500).lean(),
  'sessions: $text on titles, best 100': () =>
    ChatSession.find({ userId: user._id, $text: { $search: 'espresso' }, erasingSince: null }, { score: { $meta: 'textScore' } }).sort({ score: { $meta: 'textScore' } }).limit(100).lean(),
  'baseline: plain list query, 21 sessions': () => ChatSession.find({ userId: user._id, erasingSince: null }).sort({ updatedAt: -1, _id: -1 }).limit(21).lean(),
};
for (const [label, run] of Object.entries(steps)) {
  await run();
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round += 1) await run();
  console.log(`  ${label.padEnd(50)} ${((performance.now() - started) / ROUNDS).toFixed(1).padStart(7)} ms`);
}

await server.close();
await mongo.stop();
