import { CursorRegistry } from './cursor-registry.js';
import { EngineStore } from './storage/engine-store.js';
import { TransactionRegistry } from './transaction-registry.js';

/** Everything one in-process server holds: its data, open cursors and session transactions. */
export class Engine {
  readonly store = new EngineStore();
  readonly cursors = new CursorRegistry();
  readonly transactions = new TransactionRegistry(this.store);
  readonly startedAt = new Date();
  /** How often the TTL monitor runs (MongoDB's `ttlMonitorSleepSecs`, changed by `setParameter`). */
  ttlMonitorIntervalMs = 60_000;
  /** Told when `ttlMonitorIntervalMs` changes, so the monitor is rescheduled. */
  onTtlMonitorIntervalChange: (() => void) | undefined;
  #connections = 0;

  /** A new id for a client connection (reported by `hello`). */
  nextConnectionId(): number {
    this.#connections += 1;
    return this.#connections;
  }
}
