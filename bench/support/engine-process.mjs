// The embedded engine in a process of its own, as a real MongoDB would be: prints its URI, stops on SIGTERM.
import { startMongoMemory } from '../../packages/mongo-memory/dist/index.js';

const engine = await startMongoMemory();
process.stdout.write(`${engine.uri}\n`);
const stop = () => engine.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
// The server process that started it went away without stopping it: its end of stdin closes.
process.stdin.on('end', stop).resume();
