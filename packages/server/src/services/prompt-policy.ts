import type { ChatModel, ChatModelRequest, ChatTurn } from '../providers/chat-model.js';

/** What a prompt is built from: the deployment's settings. */
export interface PromptSettings {
  /** The deployment's system prompt, for models without their own. */
  systemPrompt?: string | undefined;
  /** Characters of history sent upstream; the newest turn always goes. */
  historyBudget: number;
  /** How many of a session's newest stored messages are read to build the history (default 200). */
  historyMessages?: number | undefined;
}

/** A model request without its stop signal. */
export type Prompt = Omit<ChatModelRequest, 'signal'>;

const DEFAULT_HISTORY_MESSAGES = 200;
const TITLE_SYSTEM_PROMPT = 'You write titles for chat conversations. Answer with the title only: at most six words, no quotes, no final period.';
const TITLE_SOURCE_LENGTH = 2000;

/**
 * What is sent upstream, decided in one place: which system prompt a model gets (its own, else the deployment's),
 * how much history fits the budget, and how a title model is asked for a title. Providers only translate.
 */
export class PromptPolicy {
  /** How many stored messages a reply reads for its history. */
  readonly historyMessages: number;

  constructor(private readonly settings: PromptSettings) {
    this.historyMessages = settings.historyMessages ?? DEFAULT_HISTORY_MESSAGES;
  }

  /** The prompt for a reply: the model's system prompt and the newest turns that fit (the last one always does). */
  forReply(model: Pick<ChatModel, 'systemPrompt'>, turns: readonly ChatTurn[]): Prompt {
    return { system: model.systemPrompt ?? this.settings.systemPrompt, messages: selectHistory(turns, this.settings.historyBudget) };
  }

  /** The prompt that asks a title model for a short title of a conversation beginning with `content`. */
  forTitle(content: string): Prompt {
    const request = `Write a title for a conversation that begins with this message:\n\n${content.slice(0, TITLE_SOURCE_LENGTH)}`;
    return { system: TITLE_SYSTEM_PROMPT, messages: [{ role: 'user', content: request }] };
  }
}

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
