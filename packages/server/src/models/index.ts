import type { Connection } from 'mongoose';
import { chatSessionModel, type ChatSessionModel } from './chat-session.model.js';
import { messageModel, type MessageModel } from './message.model.js';
import { userModel, type UserModel } from './user.model.js';

/** The three models of the server on one connection. */
export interface Models {
  User: UserModel;
  ChatSession: ChatSessionModel;
  Message: MessageModel;
}

/** Registers the models on a connection and returns them. */
export function createModels(connection: Connection): Models {
  return { User: userModel(connection), ChatSession: chatSessionModel(connection), Message: messageModel(connection) };
}

/** Builds every index the models declare (idempotent), so a fresh database is ready before the first request. */
export async function ensureIndexes(models: Models): Promise<void> {
  await Promise.all([models.User.createIndexes(), models.ChatSession.createIndexes(), models.Message.createIndexes()]);
}

export * from './chat-session.model.js';
export * from './message.model.js';
export * from './user.model.js';
