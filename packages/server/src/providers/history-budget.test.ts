import { describe, expect, it } from 'vitest';
import type { ChatTurn } from './chat-model.js';
import { selectHistory } from './history-budget.js';

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
