import type { ChatEvent, ChatEventOf, Message } from '@ai-chat/protocol';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { ReplyEvents } from './reply-events.js';

const MESSAGE = { id: 'a'.repeat(24), sessionId: 'b'.repeat(24), content: '', model: null, createdAt: new Date(0).toISOString() };
const ASSISTANT: Message = { ...MESSAGE, role: 'assistant', status: 'streaming' };
const START: ChatEventOf<'message-start'> = { type: 'message-start', userMessage: { ...MESSAGE, role: 'user', status: 'complete' }, assistantMessage: ASSISTANT };
const delta = (text: string): ChatEvent => ({ type: 'text-delta', messageId: MESSAGE.id, delta: text });
const END: ChatEvent = { type: 'message-end', message: { ...ASSISTANT, status: 'complete', content: 'Hello world' } };

async function readAll(events: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const read: ChatEvent[] = [];
  for await (const event of events) read.push(event);
  return read;
}

describe('ReplyEvents', () => {
  it('gives a reader who comes late the start, the text so far in one delta, then what follows', async () => {
    const events = new ReplyEvents(START);
    const early = readAll(events.read());
    events.push(delta('Hello'));
    events.push(delta(' wor'));
    const late = readAll(events.read());
    events.push(delta('ld'));
    events.end([END]);
    expect(await early).toEqual([START, delta('Hello'), delta(' wor'), delta('ld'), END]);
    expect(await late).toEqual([START, delta('Hello wor'), delta('ld'), END]);
    expect(await readAll(events.read())).toEqual([START, delta('Hello world'), END]);
  });

  it('lets a reader leave early without holding the others up', async () => {
    const events = new ReplyEvents(START);
    const leaving = events.read()[Symbol.asyncIterator]();
    const staying = readAll(events.read());
    await expect(leaving.next()).resolves.toEqual({ value: START, done: false });
    const pending = leaving.next();
    await leaving.return!();
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
    events.push(delta('Hello world'));
    events.end([END]);
    expect(await staying).toEqual([START, delta('Hello world'), END]);
  });

  it('ends every reading with an error event and a message-end in status error when the reply fails', async () => {
    const events = new ReplyEvents(START);
    const reading = readAll(events.read());
    events.push(delta('half'));
    const ended = events.fail(new AppError('unavailable', 'The database went away.'), { ...ASSISTANT, content: 'half' });
    events.push(delta(' ignored'));
    expect(ended).toMatchObject({ status: 'error', content: 'half', error: { type: 'unavailable', message: 'The database went away.' } });
    expect(await reading).toEqual([
      START,
      delta('half'),
      { type: 'error', error: { type: 'unavailable', message: 'The database went away.' } },
      { type: 'message-end', message: ended },
    ]);
  });
});
