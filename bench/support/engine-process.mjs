// The embedded engine in a process of its own, as a real MongoDB would be: prints its URI, stops on SIGTERM.
import { startMongoMemory } from '../../packages/mongo-memory/dist/index.js';

const engine = await startMongoMemory();
process.stdout.write(`${engine.uri}\n`);
process.on('SIGTERM', () => engine.stop().then(() => process.exit(0)));
