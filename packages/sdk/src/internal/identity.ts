import { AuthenticationError } from '../errors.js';
import type { UserWithToken } from '@ai-chat/protocol';
import type { RequestOptions } from '../request-options.js';
import type { ChatStorage } from '../storage.js';
import { raceSignal } from './race-signal.js';
import type { Transport } from './transport.js';

/** Visitor creations under way, per storage and key: clients that share a storage share one new visitor. */
const creations = new WeakMap<ChatStorage, Map<string, Promise<string>>>();

/**
 * Runs `create` once for every client of this page that uses the same storage and key at the same time (two
 * elements for one server must not make two visitors), and across the browser's tabs too where Web Locks exist.
 */
function createOnce(storage: ChatStorage, key: string, create: () => Promise<string>): Promise<string> {
  const pending = creations.get(storage) ?? new Map<string, Promise<string>>();
  creations.set(storage, pending);
  const existing = pending.get(key);
  if (existing) return existing;
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  const created = (locks ? locks.request(`ai-chat:${key}`, create) : create()).finally(() => pending.delete(key));
  pending.set(key, created);
  return created;
}

/** The part of the Web Locks API used here. */
interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** What the identity needs: the storage and the key of this deployment, and the host's JWT when there is one. */
export interface IdentityOptions {
  transport: Transport;
  storage: ChatStorage;
  storageKey: string;
  userToken: string | undefined;
}

/**
 * Owns the bearer token: reuses the stored visitor, creates one when there is none, identifies with the host's JWT,
 * and replaces a token the server no longer knows. Concurrent callers share one request so a page that fires several
 * calls at start-up still creates a single visitor.
 */
export class Identity {
  readonly #options: IdentityOptions;
  #userToken: string | undefined;
  #token: string | undefined;
  #pending: Promise<string> | undefined;

  constructor(options: IdentityOptions) {
    this.#options = options;
    this.#userToken = options.userToken;
  }

  /** The token to send, obtained on first use. */
  ensure(options: RequestOptions = {}): Promise<string> {
    if (this.#token) return Promise.resolve(this.#token);
    if (!this.#pending) {
      this.#pending = this.#obtain().finally(() => (this.#pending = undefined));
      // Callers who gave up (aborted) leave nobody listening; their callers still see the failure through their own.
      this.#pending.catch(() => undefined);
    }
    return raceSignal(this.#pending, options.signal);
  }

  /** Runs `call` with the token; on a 401 it replaces the token once and runs `call` again. */
  async callWithToken<T>(options: RequestOptions, call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.ensure(options);
    try {
      return await call(token);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      return call(await this.#recover(token, options));
    }
  }

  /** `POST /api/users`: a new anonymous visitor, stored and used from now on. */
  async createVisitor(options: RequestOptions = {}): Promise<UserWithToken> {
    const created = await this.#options.transport.json<UserWithToken>(
      { method: 'POST', path: '/api/users', body: {}, isRetrySafe: false },
      options,
    );
    this.#options.storage.setItem(this.#options.storageKey, created.token);
    this.#token = created.token;
    return created;
  }

  /** `POST /api/users/identify`, carrying the stored visitor so the server moves its sessions to the user. */
  async identify(userToken: string, options: RequestOptions = {}): Promise<UserWithToken> {
    const visitor = this.#readStored();
    let identified: UserWithToken;
    try {
      identified = await this.#postIdentify(userToken, visitor, options);
    } catch (error) {
      // A stored visitor the server no longer knows must not block signing in: identify without it.
      if (!visitor || !(error instanceof AuthenticationError)) throw error;
      identified = await this.#postIdentify(userToken, undefined, options);
    }
    // The visitor's sessions now belong to the user; its token would only show an empty history after sign-out.
    this.forget();
    this.#token = identified.token;
    return identified;
  }

  /**
   * `POST /api/users/me/sign-out` with the token in use (or the stored one), then forgets it and the host's JWT, so
   * the next call starts a new visitor. A token the server no longer knows is signed out already.
   */
  async signOut(options: RequestOptions = {}): Promise<void> {
    await this.#pending?.catch(() => undefined);
    const token = this.#token ?? this.#readStored();
    if (token) {
      try {
        await this.#options.transport.empty({ method: 'POST', path: '/api/users/me/sign-out', token, isRetrySafe: true }, options);
      } catch (error) {
        if (!(error instanceof AuthenticationError)) throw error;
      }
    }
    this.#userToken = undefined;
    if (this.#token === token) this.#token = undefined;
    if (this.#readStored() === token) this.#options.storage.removeItem(this.#options.storageKey);
  }

  /** Drops the token in use and the stored one, e.g. after the user was deleted. */
  forget(): void {
    this.#token = undefined;
    this.#options.storage.removeItem(this.#options.storageKey);
  }

  async #obtain(): Promise<string> {
    const { storage, storageKey } = this.#options;
    const userToken = this.#userToken;
    if (userToken) return (await this.identify(userToken)).token;
    this.#token =
      this.#readStored() ??
      (await createOnce(storage, storageKey, async () => this.#readStored() ?? (await this.createVisitor()).token));
    return this.#token;
  }

  /** Several calls failing with the same stale token must end up with one new token, not one each. */
  #recover(staleToken: string, options: RequestOptions): Promise<string> {
    if (this.#token === staleToken) {
      this.#token = undefined;
      if (this.#readStored() === staleToken) this.#options.storage.removeItem(this.#options.storageKey);
    }
    return this.ensure(options);
  }

  #postIdentify(userToken: string, visitor: string | undefined, options: RequestOptions): Promise<UserWithToken> {
    return this.#options.transport.json<UserWithToken>(
      { method: 'POST', path: '/api/users/identify', body: { userToken }, token: visitor, isRetrySafe: true },
      options,
    );
  }

  #readStored(): string | undefined {
    return this.#options.storage.getItem(this.#options.storageKey) ?? undefined;
  }
}
