import { canonicalKey, type StoredDocument } from './bson-values.js';
import { CommandError } from './command-error.js';
import type { EngineStore } from './storage/engine-store.js';
import type { Store } from './storage/store.js';
import { TransactionStore } from './storage/transaction-store.js';

type TransactionState = 'active' | 'committed' | 'aborted';

interface SessionTransaction {
  txnNumber: number;
  state: TransactionState;
  store: TransactionStore;
  lastUsed: number;
}

// An abandoned transaction (a client that died mid-way) is dropped after this long without a command.
const ABANDONED_AFTER_MS = 60_000;

/**
 * The transactions of logical sessions, keyed by `lsid`: `startTransaction: true` opens one for a `txnNumber`,
 * `autocommit: false` runs a command inside it, and commit/abort finish it.
 */
export class TransactionRegistry {
  readonly #sessions = new Map<string, SessionTransaction>();

  constructor(readonly base: EngineStore) {}

  /** The store a command reads and writes: its transaction's snapshot, or the engine's data outside one. */
  storeFor(command: StoredDocument): Store {
    const transaction = this.#transactionOf(command);
    return transaction ? transaction.store : this.base;
  }

  /** Marks a command's transaction aborted after a failure inside it, as MongoDB does. */
  abortAfterFailure(command: StoredDocument): void {
    const transaction = this.#lookup(command);
    if (transaction?.state === 'active' && transaction.txnNumber === txnNumberOf(command)) transaction.state = 'aborted';
  }

  /** Commits the command's transaction; committing again the one just committed succeeds (a retried commit). */
  commit(command: StoredDocument): void {
    const transaction = this.#lookup(command);
    const txnNumber = txnNumberOf(command);
    if (transaction?.txnNumber === txnNumber && transaction.state === 'committed') return;
    if (!transaction || transaction.txnNumber !== txnNumber || transaction.state !== 'active') throw noSuchTransaction(txnNumber);
    try {
      transaction.store.commit();
      transaction.state = 'committed';
    } catch (error) {
      transaction.state = 'aborted';
      throw error;
    }
  }

  /** Aborts the command's transaction, discarding its writes. */
  abort(command: StoredDocument): void {
    const transaction = this.#lookup(command);
    const txnNumber = txnNumberOf(command);
    if (!transaction || transaction.txnNumber !== txnNumber || transaction.state === 'aborted') throw noSuchTransaction(txnNumber);
    if (transaction.state === 'committed') {
      throw new CommandError(256, 'TransactionCommitted', 'Transaction has been committed');
    }
    transaction.state = 'aborted';
  }

  /** Forgets sessions the driver ended, aborting their open transactions. */
  endSessions(sessionIds: unknown[]): void {
    for (const id of sessionIds) {
      const lsidId = (id as { id?: unknown } | null)?.id;
      this.#sessions.delete(canonicalKey(lsidId));
    }
  }

  #transactionOf(command: StoredDocument): SessionTransaction | undefined {
    if (command['startTransaction'] === true) return this.#begin(command);
    if (command['autocommit'] !== false) return undefined;
    const transaction = this.#lookup(command);
    const txnNumber = txnNumberOf(command);
    if (!transaction || transaction.txnNumber !== txnNumber || transaction.state !== 'active') throw noSuchTransaction(txnNumber);
    transaction.lastUsed = Date.now();
    return transaction;
  }

  #begin(command: StoredDocument): SessionTransaction {
    this.#dropAbandoned();
    const key = sessionKey(command);
    if (key === undefined) throw new CommandError(50768, 'InvalidOptions', 'a transaction needs a session (lsid)');
    const transaction: SessionTransaction = {
      txnNumber: txnNumberOf(command),
      state: 'active',
      store: new TransactionStore(this.base),
      lastUsed: Date.now(),
    };
    this.#sessions.set(key, transaction);
    return transaction;
  }

  #lookup(command: StoredDocument): SessionTransaction | undefined {
    const key = sessionKey(command);
    return key === undefined ? undefined : this.#sessions.get(key);
  }

  #dropAbandoned(): void {
    const now = Date.now();
    for (const [key, transaction] of this.#sessions) {
      if (now - transaction.lastUsed > ABANDONED_AFTER_MS) this.#sessions.delete(key);
    }
  }
}

function sessionKey(command: StoredDocument): string | undefined {
  const lsid = command['lsid'] as { id?: unknown } | undefined;
  return lsid?.id === undefined ? undefined : canonicalKey(lsid.id);
}

function txnNumberOf(command: StoredDocument): number {
  return Number(command['txnNumber'] ?? -1);
}

function noSuchTransaction(txnNumber: number): CommandError {
  return new CommandError(251, 'NoSuchTransaction', `Transaction with { txnNumber: ${txnNumber} } has been aborted.`, {
    errorLabels: ['TransientTransactionError'],
  });
}
