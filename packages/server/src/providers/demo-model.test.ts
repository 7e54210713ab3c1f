import { describe, expect, it } from 'vitest';
import { collectStream } from '../testing/collect-stream.js';
import type { ChatTurn } from './chat-model.js';
import { DemoChatModel } from './demo-model.js';

const firstMessage: ChatTurn[] = [{ role: 'user', content: 'How do I bake sourdough bread at home?' }];
const laterMessage: ChatTurn[] = [
  { role: 'user', content: 'Hello' },
  { role: 'assistant', content: 'Hi!' },
  { role: 'user', content: 'Tell me about **rivers** and `lakes`' },
];

function ask(messages: ChatTurn[], options: { delayMs?: number; signal?: AbortSignal; system?: string } = {}) {
  const model = new DemoChatModel({ delayMs: options.delayMs ?? 0 });
  return collectStream(model.stream({ messages, system: options.system, signal: options.signal ?? new AbortController().signal }));
}

describe('DemoChatModel', () => {
  it('is labelled as an offline demo', () => {
    const model = new DemoChatModel();
    expect(model).toMatchObject({ id: 'demo', provider: 'demo', label: 'Demo (offline)' });
  });

  it('gives the same reply to the same conversation, and another to another', async () => {
    const [first, again, other] = await Promise.all([ask(firstMessage), ask(firstMessage), ask(laterMessage)]);
    expect(again.text).toBe(first.text);
    expect(again.deltas).toEqual(first.deltas);
    expect(other.text).not.toBe(first.text);
  });

  it('first reply: quotes the visitor and says how to configure a real provider, in markdown', async () => {
    const reply = await ask(firstMessage);
    expect(reply.text).toContain('> How do I bake sourdough bread at home?');
    for (const setting of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'AI_CHAT_MODELS', 'http://localhost:11434/v1']) {
      expect(reply.text).toContain(setting);
    }
    // The command that works in this repository; `npx ai-chat-server` would fetch whatever is published under that name.
    expect(reply.text).toContain('npm start');
    expect(reply.text).not.toMatch(/\bnpx\b/);
    expectMarkdown(reply.text);
  });

  it('later replies: quote the new message and describe it, without repeating the set-up guide', async () => {
    const reply = await ask(laterMessage);
    expect(reply.text).toContain('> Tell me about \\*\\*rivers\\*\\* and \\`lakes\\`');
    expect(reply.text).toContain('**6** words');
    expect(reply.text).not.toContain('http://localhost:11434/v1');
    expectMarkdown(reply.text);
  });

  it('quotes only the start of a long message', async () => {
    const reply = await ask([{ role: 'user', content: `${'word '.repeat(40)}THE-END` }]);
    expect(reply.text).toMatch(/> (word ){10,}word…/);
    expect(reply.text).not.toContain('THE-END');
  });

  it('streams word by word at the configured pace, and reports words as tokens', async () => {
    const started = Date.now();
    const reply = await ask(firstMessage, { delayMs: 3, system: 'Be nice.' });
    const words = reply.text.split(/\s+/).filter(Boolean).length;
    expect(reply.deltas.length).toBe(words);
    expect(Date.now() - started).toBeGreaterThanOrEqual(words * 2);
    expect(reply.usage).toEqual({ inputTokens: 2 + 8, outputTokens: words });
    expect(reply.finished).toBe(true);
  });

  it('stops promptly with an AbortError when the signal is aborted, without a finish', async () => {
    const controller = new AbortController();
    const model = new DemoChatModel({ delayMs: 10_000 });
    const deltas: string[] = [];
    let abortedAt = 0;
    const error = await (async () => {
      for await (const part of model.stream({ messages: firstMessage, signal: controller.signal })) {
        if (part.type === 'finish') throw new Error('finished after abort');
        deltas.push(part.delta);
        abortedAt = Date.now();
        controller.abort();
      }
    })().catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('AbortError');
    expect(deltas).toHaveLength(1);
    // Not at the next word, 10 s later: the wait between words ends with the abort.
    expect(Date.now() - abortedAt).toBeLessThan(5_000);
  });

  it('does not start at all when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const reply = await ask(firstMessage, { signal: controller.signal });
    expect(reply.deltas).toEqual([]);
    expect((reply.error as Error).name).toBe('AbortError');
  });
});

function expectMarkdown(text: string) {
  expect(text.split('\n\n').length).toBeGreaterThanOrEqual(4); // paragraphs
  expect(text).toMatch(/^- .+\n- .+/m); // a bulleted list
  expect(text).toMatch(/^```\w+\n[\s\S]+?\n```$/m); // a fenced code block
  expect(text).toMatch(/\*\*[^*]+\*\*/); // bold
}
