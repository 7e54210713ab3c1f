// Runs every benchmark under bench/ (files named *.bench.mjs) one after another; each prints its own figures
// next to a baseline measured in the same run. Timings on shared machines are noisy: compare within a run only.
import { readdir } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const folder = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv[2];
const files = (await readdir(folder)).filter((name) => name.endsWith('.bench.mjs') && (!only || name.includes(only))).sort();
let failed = false;
for (const file of files) {
  console.log(`\n== ${file}`);
  const result = spawnSync(process.execPath, [`${folder}${file}`], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
if (files.length === 0) console.log('no benchmarks found');
process.exitCode = failed ? 1 : 0;
