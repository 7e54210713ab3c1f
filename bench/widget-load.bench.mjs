// How fast <ai-chat> loads and first renders in headless Chromium at 4x CPU throttling, against deep-chat's published
// bundle (deep-chat/dist/deepChat.bundle.js from the npm registry, a dev dependency) in the same run (ours with
// the chunks it loads, e.g. the visitor's language): pages load in
// turn (ours, theirs, ours, ...), each in a fresh browser context (nothing cached), served by one local static server.
// "ready" is the moment the element's text input is in its shadow root and a frame has been painted (measured from
// navigation start); "script" is Chromium's ScriptDuration (compiling and running JavaScript) up to then. Then one
// CPU profile of our page says where the first render's time goes, by source file (through the bundle's source map).
// BENCH_WIDGET_RUNS (7) sets the runs per element.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import { chromium } from 'playwright-core';
import { startMongoMemory } from '../packages/mongo-memory/dist/index.js';
import { loadServerConfig, startServer } from '../packages/server/dist/index.js';

const RUNS = Number(process.env.BENCH_WIDGET_RUNS ?? 7);
const THROTTLING = 4;
const GOAL = 0.7;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const root = fileURLToPath(new URL('..', import.meta.url));
const ours = `${root}packages/widget/dist/ai-chat.js`;
const theirs = `${root}node_modules/deep-chat/dist/deepChat.bundle.js`;
if (!existsSync(CHROMIUM)) {
  console.log(`skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  process.exit(0);
}
if (!existsSync(theirs)) {
  console.log('skipped: deep-chat is not installed (npm ci installs it as a dev dependency)');
  process.exit(0);
}

// A real ai-chat server for our element to talk to (it creates a visitor and reads its sessions as it starts).
const mongo = await startMongoMemory();
const server = await startServer(loadServerConfig({ PORT: '0', HOST: '127.0.0.1', MONGODB_URI: `${mongo.uri}widget_bench`, LOG_LEVEL: 'silent' }), {
  app: { serveWidget: false },
});

// Waits, after the bundle, until the element's input exists, then for the next painted frame.
const readiness = (tag, input) => `<script>
  addEventListener('DOMContentLoaded', () => customElements.whenDefined('${tag}').then(function check() {
    const element = document.querySelector('${tag}');
    if (element && element.shadowRoot && element.shadowRoot.querySelector('${input}')) {
      requestAnimationFrame(() => setTimeout(() => (window.benchReady = performance.now())));
    } else setTimeout(check);
  }));
</script>`;
const pages = {
  'ai-chat': `<!doctype html><meta charset="utf-8"><title>ai-chat</title>${readiness('ai-chat', 'textarea')}
    <script type="module" src="/ours/ai-chat.js"></script><ai-chat server="${server.url}" style="display:block;height:600px;width:400px"></ai-chat>`,
  'deep-chat': `<!doctype html><meta charset="utf-8"><title>deep-chat</title>${readiness('deep-chat', '#text-input')}
    <script type="module" src="/deep-chat.js"></script><deep-chat style="display:block;height:600px;width:400px"></deep-chat>`,
};
const scripts = { '/ai-chat.js': await readFile(ours), '/deep-chat.js': await readFile(theirs), '/ai-chat.js.map': await readFile(`${ours}.map`) };
// Our bundle with the chunks it may load (languages, the code highlighter) under /ours/, deep-chat's under /deep-chat.js.
const statics = createServer(async (request, response) => {
  const path = new URL(request.url, 'http://localhost').pathname;
  const page = pages[path.slice(1)];
  if (page) return response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
  const file = path === '/deep-chat.js' ? theirs : /^\/ours\/(chunks\/)?[\w.-]+\.js$/.test(path) ? join(dirname(ours), path.slice('/ours/'.length)) : undefined;
  const script = file && (await readFile(file).catch(() => undefined));
  if (script) return response.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' }).end(script);
  response.writeHead(404).end();
});
await new Promise((resolve) => statics.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${statics.address().port}`;

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

/** Loads one element's page in a fresh context; its ready time and script time, and optionally a CPU profile. */
async function load(name, { profile = false } = {}) {
  const context = await browser.newContext();
  // deep-chat asks Google Fonts for a stylesheet; nothing outside this machine is reachable, so answer at once.
  await context.route((url) => !url.href.startsWith(origin) && !url.href.startsWith(server.url), (route) => route.abort());
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLING });
  await cdp.send('Performance.enable');
  if (profile) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
  }
  await page.goto(`${origin}/${name}`);
  await page.waitForFunction(() => window.benchReady !== undefined, undefined, { timeout: 60_000, polling: 20 });
  const ready = await page.evaluate(() => window.benchReady);
  const { metrics } = await cdp.send('Performance.getMetrics');
  const script = metrics.find((metric) => metric.name === 'ScriptDuration').value * 1000;
  const result = { ready, script, profile: profile ? (await cdp.send('Profiler.stop')).profile : undefined };
  await context.close();
  return result;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`Chromium at ${THROTTLING}x CPU throttling, ${RUNS} runs each, alternating; load average ${loadavg().map((value) => value.toFixed(1)).join(' ')}`);
console.log(`bundles: ai-chat.js ${(scripts['/ai-chat.js'].length / 1024).toFixed(0)} KB, deepChat.bundle.js ${(scripts['/deep-chat.js'].length / 1024).toFixed(0)} KB (uncompressed)`);
await load('ai-chat');
await load('deep-chat'); // warm-up: Chromium's own start-up costs out of the first run
const results = { 'ai-chat': [], 'deep-chat': [] };
for (let run = 0; run < RUNS; run += 1) {
  for (const name of run % 2 ? ['deep-chat', 'ai-chat'] : ['ai-chat', 'deep-chat']) results[name].push(await load(name));
}
for (const [name, runs] of Object.entries(results)) {
  console.log(`${name.padEnd(10)} ready ${runs.map((run) => run.ready.toFixed(0).padStart(5)).join(' ')} ms (median ${median(runs.map((run) => run.ready)).toFixed(0)})   script ${runs.map((run) => run.script.toFixed(0).padStart(5)).join(' ')} ms (median ${median(runs.map((run) => run.script)).toFixed(0)})`);
}
const ratio = (key) => median(results['ai-chat'].map((run) => run[key])) / median(results['deep-chat'].map((run) => run[key]));
const pairs = (key) => results['ai-chat'].map((run, index) => run[key] / results['deep-chat'][index][key]);
for (const key of ['ready', 'script']) {
  const each = pairs(key);
  console.log(
    `${key.padEnd(6)} ai-chat / deep-chat: ${ratio(key).toFixed(2)}x of medians (pairs ${each.map((value) => value.toFixed(2)).join(' ')}); goal <= ${GOAL}x: ${ratio(key) <= GOAL ? 'met' : 'MISSED'}`,
  );
}

// Where our first render's time goes: self time by original source file, up to ready.
const { profile } = await load('ai-chat', { profile: true });
const map = new TraceMap(JSON.parse(scripts['/ai-chat.js.map'].toString()));
const selfTime = new Map(profile.nodes.map((node) => [node.id, 0]));
profile.samples.forEach((id, index) => selfTime.set(id, selfTime.get(id) + (profile.timeDeltas[index] ?? 0)));
const byPlace = new Map();
for (const node of profile.nodes) {
  const { url, lineNumber, columnNumber, functionName } = node.callFrame;
  let place;
  if (url.endsWith('/ours/ai-chat.js')) {
    const original = originalPositionFor(map, { line: lineNumber + 1, column: columnNumber });
    place = (original.source ?? 'ai-chat.js').replace(/^.*node_modules\//, '').replace(/^.*packages\//, '');
  } else place = url ? url.replace(origin, '') : functionName || '(native)';
  byPlace.set(place, (byPlace.get(place) ?? 0) + selfTime.get(node.id));
}
const total = [...byPlace.values()].reduce((sum, value) => sum + value, 0);
console.log(`where our first render's time goes (one profiled load, self time by source, ${(total / 1000).toFixed(0)} ms sampled):`);
for (const [place, time] of [...byPlace].sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log(`  ${(time / 1000).toFixed(1).padStart(7)} ms  ${place}`);

await browser.close();
await new Promise((resolve) => statics.close(resolve));
await server.close();
await mongo.stop();
