import type { ClientContext } from '../internal/client-context.js';

/** The base of every resource: it holds the client's shared context, which stays out of the public types. */
export abstract class ApiResource {
  /** @internal */
  protected readonly context: ClientContext;

  /** @internal */
  constructor(context: ClientContext) {
    this.context = context;
  }
}
