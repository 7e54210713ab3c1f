import type { CommandHandler } from './command-context.js';

/** `commitTransaction` and `abortTransaction` of the session and `txnNumber` the command carries. */
export const transactionCommands: Record<string, CommandHandler> = {
  commitTransaction: (context) => {
    context.engine.transactions.commit(context.command);
    return {};
  },
  abortTransaction: (context) => {
    context.engine.transactions.abort(context.command);
    return {};
  },
};
