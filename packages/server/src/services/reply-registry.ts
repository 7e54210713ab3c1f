import type { Types } from 'mongoose';
import type { LiveReply } from './live-reply.js';

/** The replies this process is writing, by assistant message id: joined by a retried send, stopped, shut down. */
export class ReplyRegistry {
  readonly #live = new Map<string, LiveReply>();

  /** Keeps a reply until it has ended. */
  add(reply: LiveReply): LiveReply {
    this.#live.set(reply.id, reply);
    void reply.result.finally(() => this.#live.delete(reply.id));
    return reply;
  }

  /** The live reply with this id, if this process writes it. */
  get(replyId: Types.ObjectId): LiveReply | undefined {
    return this.#live.get(replyId.toHexString());
  }

  /** Stops this process's replies in a session (a stop request also flags them in the database for other processes). */
  stopSession(sessionId: Types.ObjectId): void {
    for (const reply of this.#live.values()) {
      if (reply.sessionId === sessionId.toHexString()) reply.stop('stopped');
    }
  }

  /** Stops every reply and waits until each is stored (as `stopped`). */
  async shutdown(): Promise<void> {
    const running = [...this.#live.values()];
    running.forEach((reply) => reply.stop('shutdown'));
    await Promise.all(running.map((reply) => reply.result));
  }

  /** How many replies this process is writing now. */
  get size(): number {
    return this.#live.size;
  }
}
