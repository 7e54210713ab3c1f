#!/usr/bin/env node
// @ts-check
// A terminal chat with @ai-chat/sdk: lists your sessions, starts or resumes one, and streams each reply as it is
// written. Run a server first (`npm start` at the repository root), then `npm start -w examples/sdk-node`.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { APIError, ChatClient } from '@ai-chat/sdk';
import { createFileStorage } from './file-storage.js';

const serverUrl = process.env.AI_CHAT_SERVER || 'http://localhost:3000';
const tokenFile = process.env.AI_CHAT_TOKEN_FILE || join(homedir(), '.ai-chat', 'terminal.json');
const client = new ChatClient({ baseUrl: serverUrl, storage: createFileStorage(tokenFile) });

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })[Symbol.asyncIterator]();
/** @type {import('@ai-chat/sdk').ChatStream | undefined} */
let replying;
/** @type {string | undefined} */
let activeSessionId;

/**
 * Prints a prompt and reads one line of input; `undefined` at the end of input (Ctrl+D).
 * @param {string} prompt
 */
async function ask(prompt) {
  process.stdout.write(prompt);
  const line = await lines.next();
  return line.done ? undefined : line.value.trim();
}

/** @param {string} iso */
function formatDate(iso) {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Prints the visitor's sessions, numbered, most recently active first, and returns them. */
async function listSessions() {
  const { sessions } = await client.sessions.list({ limit: 20 });
  if (sessions.length === 0) console.log('No sessions yet.');
  sessions.forEach((session, index) => {
    const count = `${session.messageCount} ${session.messageCount === 1 ? 'message' : 'messages'}`;
    console.log(`  ${index + 1}. ${session.title || 'Untitled'} · ${session.model} · ${count} · ${formatDate(session.updatedAt)}`);
    if (session.lastMessage) console.log(`     ${session.lastMessage.role}: ${session.lastMessage.preview.replace(/\s+/g, ' ')}`);
  });
  return sessions;
}

/** Asks which session to continue: a number resumes one, a model id (or Enter, for the default) starts one. */
async function chooseSession() {
  const sessions = await listSessions();
  const { models } = await client.models.list();
  console.log(`Models: ${models.map((model) => `${model.id}${model.default ? ' (default)' : ''}`).join(', ')}`);
  for (;;) {
    const answer = await ask('Session number to resume, or a model id (Enter: default) for a new session: ');
    if (answer === undefined || answer === '/quit') return undefined;
    const picked = /^\d+$/.test(answer) ? sessions[Number(answer) - 1] : undefined;
    if (picked) return resumeSession(picked.id);
    if (answer === '' || models.some((model) => model.id === answer)) return startSession(answer || undefined);
    console.log(`"${answer}" is neither a session number nor a model.`);
  }
}

/** @param {string | undefined} model */
async function startSession(model) {
  const session = await client.sessions.create(model ? { model } : {});
  console.log(`New session with ${session.model}. Type a message; /sessions to switch, /quit to leave.`);
  return session.id;
}

/** Shows the latest messages of a session before continuing it. @param {string} sessionId */
async function resumeSession(sessionId) {
  const { messages, hasMore } = await client.messages.list(sessionId, { limit: 20 });
  if (hasMore) console.log('  …');
  for (const message of messages) console.log(`${message.role === 'user' ? 'you' : 'assistant'}> ${message.content}\n`);
  console.log('Resumed. Type a message; /sessions to switch, /quit to leave.');
  return sessionId;
}

/** Sends a message and prints the reply as its pieces arrive. @param {string} sessionId @param {string} content */
async function sendMessage(sessionId, content) {
  replying = client.chat.stream({ sessionId, content });
  process.stdout.write('assistant> ');
  for await (const event of replying) {
    if (event.type === 'text-delta') process.stdout.write(event.delta);
    if (event.type === 'message-end' && event.message.status !== 'complete') {
      process.stdout.write(`\n[${event.message.status}${event.message.error ? `: ${event.message.error.message}` : ''}]`);
    }
  }
  replying = undefined;
  process.stdout.write('\n\n');
}

// Ctrl+C while a reply is written stops it on the server (it is stored as `stopped`); otherwise it quits.
process.on('SIGINT', () => {
  if (replying && activeSessionId) void client.sessions.stop(activeSessionId).catch(() => replying?.abort());
  else process.exit(130);
});

async function main() {
  console.log(`ai-chat terminal · ${serverUrl}`);
  await client.users.ensure();
  activeSessionId = await chooseSession();
  while (activeSessionId) {
    const input = await ask('you> ');
    if (input === undefined || input === '/quit') break;
    if (input === '/sessions') activeSessionId = await chooseSession();
    else if (input) await sendMessage(activeSessionId, input).catch(reportError);
  }
  console.log('Bye.');
  process.exit(0);
}

/** A failed message is reported and the chat goes on (e.g. 409 while an earlier reply is still being written). */
function reportError(/** @type {unknown} */ error) {
  replying = undefined;
  console.error(`\n[${describeError(error)}]\n`);
}

/** @param {unknown} error */
function describeError(error) {
  if (error instanceof APIError) return `${error.status} ${error.type}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

main().catch((error) => {
  console.error(`\nai-chat terminal: ${describeError(error)}`);
  console.error(`Is the server running at ${serverUrl}? Set AI_CHAT_SERVER to point at another one.`);
  process.exit(1);
});
