import type { Models } from '../models/index.js';
import { MessageStore } from './message.store.js';
import { SessionStore } from './session.store.js';

/** The data access of the chat: every query carries its owner. */
export interface Stores {
  sessions: SessionStore;
  messages: MessageStore;
}

/** Builds the stores on the server's models. */
export function createStores(models: Pick<Models, 'ChatSession' | 'Message'>): Stores {
  return { sessions: new SessionStore(models.ChatSession), messages: new MessageStore(models.Message) };
}
