import type { Connection } from 'mongoose';
import { accessTokenModel, type AccessTokenModel } from './access-token.model.js';
import { chatSessionModel, type ChatSessionModel } from './chat-session.model.js';
import { messageModel, type MessageModel } from './message.model.js';
import { LEGACY_USER_INDEXES, userModel, type UserModel } from './user.model.js';

/** The models of the server on one connection. */
export interface Models {
  User: UserModel;
  AccessToken: AccessTokenModel;
  ChatSession: ChatSessionModel;
  Message: MessageModel;
}

/** Registers the models on a connection and returns them. */
export function createModels(connection: Connection): Models {
  return {
    User: userModel(connection),
    AccessToken: accessTokenModel(connection),
    ChatSession: chatSessionModel(connection),
    Message: messageModel(connection),
  };
}

/**
 * Builds every index the models declare (idempotent), so a fresh database is ready before the first request, after
 * dropping the indexes of older versions that would refuse today's documents.
 */
export async function ensureIndexes(models: Models): Promise<void> {
  await dropIndexes(models.User, LEGACY_USER_INDEXES);
  await Promise.all([
    models.User.createIndexes(),
    models.AccessToken.createIndexes(),
    models.ChatSession.createIndexes(),
    models.Message.createIndexes(),
  ]);
}

async function dropIndexes(model: Models['User'], names: string[]): Promise<void> {
  const existing = await model.collection.indexes().catch(() => []);
  for (const name of names) {
    if (!existing.some((index) => index.name === name)) continue;
    // Another process starting at the same time may have dropped it first (IndexNotFound).
    await model.collection.dropIndex(name).catch((error: { code?: number }) => {
      if (error.code !== 27) throw error;
    });
  }
}

export * from './access-token.model.js';
export * from './chat-session.model.js';
export * from './message.model.js';
export * from './user.model.js';
