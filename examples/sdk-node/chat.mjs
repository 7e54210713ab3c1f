#!/usr/bin/env node
// A terminal chat through @ai-chat/sdk. Usage:
//   node chat.mjs "Hello!"            sends to the most recent session (or a new one) and streams the reply
//   node chat.mjs --new "Hello!"      starts a new session first
//   node chat.mjs --list              lists your sessions
// AI_CHAT_URL picks the server (default http://localhost:3000); AI_CHAT_TOKEN_FILE where the visitor is kept.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { APIUserAbortError, ChatClient, ChatError } from '@ai-chat/sdk';
import { createFileStorage } from './file-storage.mjs';

const baseUrl = process.env.AI_CHAT_URL ?? 'http://localhost:3000';
const storage = createFileStorage(process.env.AI_CHAT_TOKEN_FILE ?? join(homedir(), '.ai-chat-visitor.json'));
const client = new ChatClient({ baseUrl, storage });

async function listSessions() {
  for await (const session of client.sessions.listAll()) {
    const preview = session.lastMessage ? ` — ${session.lastMessage.preview.slice(0, 60)}` : '';
    console.log(`${session.id}  ${session.updatedAt.slice(0, 16)}  ${session.messageCount} msgs  ${session.title}${preview}`);
  }
}

async function pickSession(isNew) {
  if (!isNew) {
    const { sessions } = await client.sessions.list({ limit: 1 });
    if (sessions[0]) return sessions[0];
  }
  return client.sessions.create();
}

async function send(content, isNew) {
  const session = await pickSession(isNew);
  const stream = client.chat.stream({ sessionId: session.id, content });
  // Ctrl+C stops the reply on the server too, so it is stored as `stopped` rather than finished unseen.
  process.once('SIGINT', () => {
    stream.abort();
    void client.sessions.stop(session.id).catch(() => undefined);
  });
  try {
    for await (const event of stream) {
      if (event.type === 'text-delta') process.stdout.write(event.delta);
    }
    const message = await stream.finalMessage();
    process.stdout.write('\n');
    if (message.status === 'error') console.error(`The AI provider failed: ${message.error?.message}`);
  } catch (error) {
    if (error instanceof APIUserAbortError) console.error('\n(stopped)');
    else throw error;
  }
}

const args = process.argv.slice(2);
try {
  if (args[0] === '--list') await listSessions();
  else if (args.filter((arg) => arg !== '--new').length > 0) await send(args.filter((arg) => arg !== '--new').join(' '), args.includes('--new'));
  else console.error('Usage: node chat.mjs [--new] "message" | --list');
} catch (error) {
  if (!(error instanceof ChatError)) throw error;
  console.error(`${error.name}: ${error.message}${'requestId' in error && error.requestId ? ` (request ${error.requestId})` : ''}`);
  process.exitCode = 1;
}
