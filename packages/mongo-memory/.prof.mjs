import { Engine } from './dist/engine.js';
import { runCommand } from './dist/commands/run-command.js';
const engine = new Engine();
runCommand(engine, { createIndexes: 'c', indexes: [{ key: { key: 1 }, name: 'key_1', unique: true }], $db: 'b' }, 1);
runCommand(engine, { insert: 'c', documents: Array.from({ length: 10000 }, (_, i) => ({ key: 'k' + i, index: i })), $db: 'b' }, 1);
for (const [label, filter] of [['key', (i) => ({ key: 'k' + i })], ['scan', (i) => ({ index: i })]]) {
  const t = performance.now();
  for (let i = 0; i < 2000; i++) { const r = runCommand(engine, { find: 'c', filter: filter(i * 5), limit: 1, singleBatch: true, $db: 'b' }, 1); if (r.cursor.firstBatch.length !== 1) throw new Error('x'); }
  console.log(label, ((performance.now() - t) / 2000).toFixed(3), 'ms/op');
}
const t = performance.now();
for (let i = 0; i < 10000; i++) runCommand(engine, { insert: 'd', documents: [{ key: 'k' + i }], $db: 'b' }, 1);
console.log('insert', ((performance.now() - t) / 10000).toFixed(3), 'ms/op');
