import type { ChatClientLike } from '../chat-client-like.js';
import { ConnectionController, type ChatHost } from './connection.controller.js';
import { ConversationController } from './conversation.controller.js';
import { createSharedMessages } from './reply-streams.js';
import { VersionsController } from './reply-versions.controller.js';
import { SessionsController } from './sessions.controller.js';

/**
 * The element's state, as controllers with one job each, wired together: `connection` (server, visitor, client, the
 * abort signal of the current server+user and the error banner), `sessions` (the list, paging, models, the active
 * session, rename and delete), `conversation` (messages, streams, send, stop, retry, older pages) and `versions`
 * (regenerate, edit, the versions of a message and ratings, on the conversation's messages). Components get the one
 * they need as a plain property.
 */
export class ChatController {
  readonly connection: ConnectionController;
  readonly sessions: SessionsController;
  readonly conversation: ConversationController;
  readonly versions: VersionsController;

  constructor(host: ChatHost, createClient: () => ChatClientLike) {
    this.connection = new ConnectionController(host, createClient, (scope) => this.conversation.loadScope(scope), {
      sync: (message, scope) => this.conversation.applySync(message, scope),
      refresh: (scope) => void this.conversation.refresh(scope),
    });
    this.sessions = new SessionsController(host, this.connection);
    const shared = createSharedMessages(host, this.sessions);
    this.conversation = new ConversationController(host, this.connection, this.sessions, shared);
    this.versions = new VersionsController(host, this.connection, this.sessions, shared);
  }

  /** Drops everything of the previous server or user (aborting its loads and streams) and starts over. */
  reset(): void {
    this.conversation.reset();
    this.sessions.reset();
    this.connection.reset();
  }
}
