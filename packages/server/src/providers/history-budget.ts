import type { ChatTurn } from './chat-model.js';

/**
 * Picks the history sent upstream: the newest turns whose contents fit in `budget` characters, oldest first. A turn
 * is never cut in half, and the newest turn (the message being answered) always goes, even alone over budget.
 * Blank turns (a reply that failed before its first word) are left out, and so is an assistant turn whose question
 * fell outside the budget: vendors reject empty text, and Anthropic wants the user to speak first.
 */
export function selectHistory(turns: readonly ChatTurn[], budget: number): ChatTurn[] {
  const selected: ChatTurn[] = [];
  let used = 0;
  for (let index = turns.length - 1; index >= 0; index--) {
    const turn = turns[index]!;
    const isNewest = selected.length === 0;
    if (!isNewest && turn.content.trim() === '') continue;
    if (!isNewest && used + turn.content.length > budget) break;
    selected.push(turn);
    used += turn.content.length;
  }
  while (selected.length > 1 && selected.at(-1)!.role === 'assistant') selected.pop();
  return selected.reverse();
}
