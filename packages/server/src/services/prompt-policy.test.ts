import { describe, expect, it } from 'vitest';
import type { ChatTurn } from '../providers/chat-model.js';
import { PromptPolicy, selectHistory } from './prompt-policy.js';

const user = (content: string): ChatTurn => ({ role: 'user', content });
const assistant = (content: string): ChatTurn => ({ role: 'assistant', content });

describe('selectHistory', () => {
  it('keeps everything, in order, when the whole conversation fits', () => {
    const turns = [user('aaaa'), assistant('bbbb'), user('cccc')];
    expect(selectHistory(turns, 12)).toEqual(turns);
  });

  it('drops the oldest turns first and keeps the newest ones, oldest first', () => {
    const turns = [user('1111111111'), assistant('2222222222'), user('3333'), assistant('4444'), user('5555')];
    expect(selectHistory(turns, 12)).toEqual([user('3333'), assistant('4444'), user('5555')]);
  });

  it('never cuts a message in half: one that does not fit whole is left out, with everything older', () => {
    const turns = [user('tiny'), assistant('a long answer that will not fit'), user('hello')];
    const selected = selectHistory(turns, 20);
    expect(selected).toEqual([user('hello')]);
    expect(selected.every((turn) => turns.some((original) => original.content === turn.content))).toBe(true);
  });

  it('always keeps the newest turn, even when it alone is over the budget', () => {
    const huge = user('x'.repeat(500));
    expect(selectHistory([user('earlier'), assistant('reply'), huge], 100)).toEqual([huge]);
    expect(selectHistory([huge], 0)).toEqual([huge]);
  });

  it('counts exactly up to the budget (a total equal to the budget fits)', () => {
    const turns = [user('11111'), user('22222'), user('33333')];
    expect(selectHistory(turns, 15)).toEqual(turns);
    expect(selectHistory(turns, 14)).toEqual([user('22222'), user('33333')]);
  });

  it('does not start with an assistant turn whose question fell outside the budget', () => {
    const turns = [user('a question that is too long'), assistant('answer'), user('next')];
    expect(selectHistory(turns, 12)).toEqual([user('next')]);
  });

  it('leaves out blank turns (replies that failed before any text) but not the newest', () => {
    const turns = [user('hi'), assistant(''), user('again'), assistant('   '), user('third')];
    expect(selectHistory(turns, 100)).toEqual([user('hi'), user('again'), user('third')]);
  });

  it('returns nothing for no turns', () => {
    expect(selectHistory([], 100)).toEqual([]);
  });
});

describe('PromptPolicy', () => {
  const policy = new PromptPolicy({ systemPrompt: 'Deployment prompt.', historyBudget: 8 });

  it("gives a model its own system prompt, else the deployment's", () => {
    expect(policy.forReply({ systemPrompt: 'Own prompt.' }, [user('hi')]).system).toBe('Own prompt.');
    expect(policy.forReply({ systemPrompt: undefined }, [user('hi')]).system).toBe('Deployment prompt.');
    expect(new PromptPolicy({ historyBudget: 8 }).forReply({ systemPrompt: undefined }, [user('hi')]).system).toBeUndefined();
  });

  it('sends the newest history that fits the budget', () => {
    expect(policy.forReply({}, [user('aaaa'), user('bbbb'), user('cccc')]).messages).toEqual([user('bbbb'), user('cccc')]);
  });

  it('asks a title model with the beginning of the first message only', () => {
    const prompt = policy.forTitle(`Tides ${'x'.repeat(5000)}`);
    expect(prompt.system).toMatch(/title/i);
    expect(prompt.messages).toHaveLength(1);
    expect(prompt.messages[0]!.content).toContain('Tides');
    expect(prompt.messages[0]!.content.length).toBeLessThan(2200);
  });
});
