import { Identity } from './internal/identity.js';
import { Transport } from './internal/transport.js';
import { Chat } from './resources/chat.js';
import { Config } from './resources/config.js';
import { Messages } from './resources/messages.js';
import { Models } from './resources/models.js';
import { Sessions } from './resources/sessions.js';
import { Users } from './resources/users.js';
import { createDefaultStorage, type ChatStorage } from './storage.js';

/** How to reach a deployment and who to be there. */
export interface ChatClientOptions {
  /** The server's URL, e.g. `https://chat.example.com`; in a browser a relative URL resolves against the page. */
  baseUrl: string;
  /** A JWT from the host site's backend: the client signs in as that user and merges the visitor's sessions. */
  userToken?: string | undefined;
  /** Where the visitor's token is kept: `localStorage` in browsers, memory elsewhere, unless given. */
  storage?: ChatStorage | undefined;
  /** The fetch to use (a proxy's, a test's); the global one by default. */
  fetch?: typeof fetch | undefined;
  /** Milliseconds to wait for an answer per attempt (and, in a stream, between two chunks). Default 60 000. */
  timeout?: number | undefined;
  /** Retries of a call that is safe to retry (reads, deletes, stop, identify and chat). Default 2. */
  maxRetries?: number | undefined;
}

/**
 * The ai-chat client, for browsers and Node 20+. Every call first makes sure the visitor has a token (see
 * `users.ensure()`), so creating a client and calling a method is all it takes.
 * @example
 * const client = new ChatClient({ baseUrl: 'https://chat.example.com' });
 * const session = await client.sessions.create();
 * const reply = await client.chat.stream({ sessionId: session.id, content: 'Hello!' }).text();
 */
export class ChatClient {
  /** The server's URL as used, without a trailing slash. */
  readonly baseUrl: string;
  /** The visitor or signed-in user: `ensure`, `create`, `identify`, `retrieve`, `delete`, `export`, `forget`. */
  readonly users: Users;
  /** Conversations: `create`, `list`, `listAll`, `retrieve`, `update`, `delete`, `stop`. */
  readonly sessions: Sessions;
  /** A session's messages: `list`. */
  readonly messages: Messages;
  /** The models the deployment offers: `list`. */
  readonly models: Models;
  /** Sending messages: `stream` and `send`. */
  readonly chat: Chat;
  /** The deployment's limits and starter prompts: `retrieve`. */
  readonly config: Config;

  constructor(options: ChatClientOptions) {
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    const maxRetries = options.maxRetries ?? 2;
    const transport = new Transport({
      baseUrl: this.baseUrl,
      // Browsers throw "Illegal invocation" when fetch is called detached from the window.
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
      timeout: options.timeout ?? 60_000,
      maxRetries,
    });
    const identity = new Identity({
      transport,
      storage: options.storage ?? createDefaultStorage(),
      storageKey: tokenStorageKey(this.baseUrl),
      userToken: options.userToken,
    });
    const context = { transport, identity, maxRetries };
    this.users = new Users(context);
    this.sessions = new Sessions(context);
    this.messages = new Messages(context);
    this.models = new Models(context);
    this.chat = new Chat(context);
    this.config = new Config(context);
  }
}

/**
 * The storage key of a deployment's visitor token, so two deployments on one page keep separate visitors.
 * @example
 * localStorage.getItem(tokenStorageKey('https://chat.example.com')); // the visitor's bearer token, or null
 */
export function tokenStorageKey(baseUrl: string): string {
  return `ai-chat:token:${normalizeBaseUrl(baseUrl)}`;
}

function normalizeBaseUrl(baseUrl: string): string {
  const page = (globalThis as { location?: { href: string } }).location?.href;
  const url = new URL(baseUrl, page);
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}
