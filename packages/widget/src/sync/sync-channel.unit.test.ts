import { afterEach, describe, expect, it } from 'vitest';
import type { SessionSummary } from '@ai-chat/protocol';
import { SyncChannel, syncChannelName, type SyncMessage } from './sync-channel.js';

const session: SessionSummary = { id: 'a'.repeat(24), title: 'Hello', model: 'demo', messageCount: 2, lastMessage: null, createdAt: '2026-12-01T00:00:00.000Z', updatedAt: '2026-12-01T00:00:00.000Z' };
const open: SyncChannel[] = [];

function listen(server: string, token: string) {
  const heard: SyncMessage[] = [];
  const channel = new SyncChannel(server, token, (message) => heard.push(message));
  open.push(channel);
  return { channel, heard };
}

afterEach(() => {
  for (const channel of open.splice(0)) channel.close();
});

describe('SyncChannel (BroadcastChannel per server and visitor)', () => {
  it('reaches every other view of the same visitor of the same server, never the one that posted', async () => {
    const writer = listen('https://chat.example', 'token-of-ann');
    const tab = listen('https://chat.example', 'token-of-ann');
    const element = listen('https://chat.example', 'token-of-ann');
    writer.channel.post({ type: 'session', session });
    writer.channel.post({ type: 'session-deleted', sessionId: session.id });
    writer.channel.post({ type: 'messages', sessionId: session.id });
    await expect.poll(() => tab.heard.length).toBe(3);
    await expect.poll(() => element.heard.length).toBe(3);
    expect(tab.heard).toEqual([{ type: 'session', session }, { type: 'session-deleted', sessionId: session.id }, { type: 'messages', sessionId: session.id }]);
    expect(writer.heard).toEqual([]);
  });

  it('never reaches another visitor or the same visitor of another server', async () => {
    const writer = listen('https://chat.example', 'token-of-ann');
    const bob = listen('https://chat.example', 'token-of-bob');
    const otherServer = listen('https://other.example', 'token-of-ann');
    const ann = listen('https://chat.example', 'token-of-ann');
    writer.channel.post({ type: 'session', session });
    await expect.poll(() => ann.heard.length).toBe(1);
    // Posted after the first one reached Ann: had the others been on the channel, they would have heard it by now.
    writer.channel.post({ type: 'messages', sessionId: session.id });
    await expect.poll(() => ann.heard.length).toBe(2);
    expect(bob.heard).toEqual([]);
    expect(otherServer.heard).toEqual([]);
  });

  it('names the channel without the token, and ignores what is not one of its messages', async () => {
    const name = syncChannelName('https://chat.example', 'secret-token-value');
    expect(name).toMatch(/^ai-chat:sync:https:\/\/chat\.example:[0-9a-z]+$/);
    expect(name).not.toContain('secret');
    expect(syncChannelName('https://chat.example', 'another-token')).not.toBe(name);
    const listener = listen('https://chat.example', 'secret-token-value');
    const stranger = new BroadcastChannel(name);
    stranger.postMessage({ type: 'session' });
    stranger.postMessage('hello');
    stranger.postMessage({ type: 'messages', sessionId: session.id });
    await expect.poll(() => listener.heard.length).toBe(1);
    expect(listener.heard).toEqual([{ type: 'messages', sessionId: session.id }]);
    stranger.close();
  });
});

describe('SyncChannel close and open', () => {
  it('hears nothing while closed, and hears again once opened', async () => {
    const writer = listen('https://chat.example', 'token-of-ann');
    const reader = listen('https://chat.example', 'token-of-ann');
    const witness = listen('https://chat.example', 'token-of-ann');
    reader.channel.close();
    writer.channel.post({ type: 'messages', sessionId: 'one' });
    await expect.poll(() => witness.heard.length).toBe(1);
    reader.channel.open();
    writer.channel.post({ type: 'messages', sessionId: 'two' });
    await expect.poll(() => reader.heard.length).toBe(1);
    expect(reader.heard).toEqual([{ type: 'messages', sessionId: 'two' }]);
  });
});
