#!/usr/bin/env node
// @ts-check
// An existing Koa app that adds ai-chat: it mounts createChatRouter() under /chat, on a database it connects
// itself, and identifies its signed-in users to the chat so their history follows them to any browser.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connectDatabase, createChatRouter, createLogger, createModelRegistry, loadModelsConfig } from '@ai-chat/server';
import { createHostApp } from './app.js';

const port = Number(process.env.PORT ?? 4000);
const host = process.env.HOST ?? '127.0.0.1';
const modelRegistry = createModelRegistry(loadModelsConfig(process.env));
// The registry's API keys are scrubbed from every log line, whatever writes it.
const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'info', secrets: modelRegistry.secrets });

// The secret this app signs chat tokens with, and the chat router checks them with. A random one works while both
// live in this one process; a fixed one is needed once the chat server runs on its own.
const identitySecret = process.env.IDENTITY_SECRET ?? randomBytes(32).toString('base64url');
const cookieKeys = process.env.APP_KEYS?.split(',') ?? [randomBytes(32).toString('base64url')];
if (!process.env.IDENTITY_SECRET || !process.env.APP_KEYS) {
  logger.warn('IDENTITY_SECRET or APP_KEYS is not set: using random ones, so sign-ins end when the app restarts');
}

const database = await connectDatabase({ uri: process.env.MONGODB_URI, logger });
const chatRouter = createChatRouter({
  database,
  modelRegistry,
  prefix: '/chat',
  identitySecret,
  logger,
});
const app = createHostApp({ chatRouter, identitySecret, cookieKeys });
const server = app.listen(port, host);
await once(server, 'listening');
const address = server.address();
const url = `http://${host}:${typeof address === 'object' && address ? address.port : port}`;
console.log(`koa-mount example: open ${url} (sign in as alice / alice-password or bob / bob-password)`);

let isStopping = false;
async function shutdown() {
  if (isStopping) return;
  isStopping = true;
  const closed = new Promise((resolve) => server.close(resolve));
  // Replies being written are finished as `stopped` and stored before the connections and the database close.
  await chatRouter.shutdown();
  server.closeIdleConnections();
  await closed;
  await database.close();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
