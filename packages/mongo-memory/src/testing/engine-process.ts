import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SOURCE = fileURLToPath(new URL('..', import.meta.url));
const NODE_MODULES = fileURLToPath(new URL('../../../../node_modules', import.meta.url));

const SERVE = `
import { startMongoMemory } from './engine/index.js';
const [directory, options] = process.argv.slice(2);
const server = await startMongoMemory({ persistDirectory: directory, ...JSON.parse(options) });
process.stdout.write(server.uri + '\\n');
`;

/** Persistence options of an engine in a child process (those of `startMongoMemory` that are plain values). */
export interface EngineProcessOptions {
  persistJournal?: boolean;
  persistDelayMs?: number;
  journalCompactBytes?: number;
}

/** An engine running in a child process, so that a test can kill it like a crash (no final write). */
export interface EngineProcess {
  uri: string;
  child: ChildProcess;
  /** Kills the process with SIGKILL and waits for it to be gone. */
  kill(): Promise<void>;
}

/**
 * Compiles the engine's sources (TypeScript to JavaScript, no type check) into a temporary folder once, so a child
 * process can run them without a build. Returns a function that starts an engine on a folder in a child process.
 */
export async function prepareEngineProcess(): Promise<{ start(directory: string, options?: EngineProcessOptions): Promise<EngineProcess>; dispose(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'mongo-memory-engine-'));
  await symlink(NODE_MODULES, join(root, 'node_modules'), 'dir');
  for (const file of await sourceFiles(SOURCE)) {
    const output = ts.transpileModule(await readFile(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const target = join(root, 'engine', relative(SOURCE, file).replace(/\.ts$/, '.js'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, output);
  }
  await writeFile(join(root, 'serve.mjs'), SERVE);
  await writeFile(join(root, 'package.json'), '{ "type": "module" }');
  return {
    start: (directory, options = {}) => startChild(join(root, 'serve.mjs'), directory, options),
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}

async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !relative(SOURCE, file).startsWith('testing'));
}

function startChild(script: string, directory: string, options: EngineProcessOptions): Promise<EngineProcess> {
  const child = spawn(process.execPath, [script, directory, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`the engine process exited (${code}) before it listened: ${errors}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const uri = output.split('\n')[0];
      if (!output.includes('\n') || !uri) return;
      resolve({
        uri,
        child,
        kill: async () => {
          child.kill('SIGKILL');
          await exited;
        },
      });
    });
  });
}
