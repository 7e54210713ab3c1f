import { CursorRegistry } from './cursor-registry.js';
import { EngineStore } from './storage/engine-store.js';
import { TransactionRegistry } from './transaction-registry.js';

/** Where the engine learns whether its changes are on disk (the journal of a persistence folder). */
export interface Durability {
  /** How many changes have been recorded so far: a command that changes it must wait for {@link durable}. */
  readonly recorded: number;
  /** Resolves when every change recorded so far is on disk; rejects when it could not be written. */
  durable(): Promise<void>;
}

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
  /** Set when writes are journaled: a write is acknowledged only once it is on disk. Absent: memory only. */
  durability: Durability | undefined;
  #connections = 0;

  /** A new id for a client connection (reported by `hello`). */
  nextConnectionId(): number {
    this.#connections += 1;
    return this.#connections;
  }
}
