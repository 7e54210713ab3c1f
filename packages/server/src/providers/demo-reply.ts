import type { ChatTurn } from './chat-model.js';

const QUOTE_LENGTH = 80;

/**
 * Writes the demo model's reply: markdown with paragraphs, a list and a code block that refers to what the visitor
 * wrote. The same conversation always gives the same reply; the first reply explains how to configure a provider.
 */
export function writeDemoReply(messages: readonly ChatTurn[]): string {
  const question = [...messages].reverse().find((turn) => turn.role === 'user')?.content ?? '';
  const isFirstReply = !messages.some((turn) => turn.role === 'assistant');
  return isFirstReply ? writeWelcome(question) : writeEcho(question, countTurns(messages));
}

function writeWelcome(question: string): string {
  return [
    `**Hello! I am the offline demo model.** I do not call any AI: I write this reply from a template, so that you can try the chat without an API key. You wrote:`,
    quote(question),
    `To talk to a real model, stop the server (Ctrl+C) and start it again with one of these settings:`,
    [
      '- `OPENAI_API_KEY=sk-…` for OpenAI (pick models with `OPENAI_MODELS=gpt-4o-mini,gpt-4o`)',
      '- `ANTHROPIC_API_KEY=sk-ant-…` for Anthropic (pick models with `ANTHROPIC_MODELS=claude-sonnet-4-5`)',
      '- `AI_CHAT_MODELS` for any OpenAI-compatible server: Ollama, vLLM, llama.cpp, LM Studio or OpenRouter',
    ].join('\n'),
    `For example, with [Ollama](https://ollama.com) running on this machine, at the root of the ai-chat repository:`,
    [
      '```bash',
      `AI_CHAT_MODELS='[{"id":"llama3.2","label":"Llama 3.2 (Ollama)","provider":"openai-compatible","baseURL":"http://localhost:11434/v1"}]' \\`,
      '  npm start',
      '```',
    ].join('\n'),
    `Keep writing to me meanwhile: every conversation is saved, and you can switch between them from the list above.`,
  ].join('\n\n');
}

function writeEcho(question: string, turns: number): string {
  const words = countWords(question);
  const isQuestion = question.trim().endsWith('?');
  return [
    `You wrote:`,
    quote(question),
    `I am only the offline demo, so I cannot ${isQuestion ? 'answer that question' : 'reply properly'}, but here is what I can tell about your message:`,
    [
      `- It has **${words}** ${words === 1 ? 'word' : 'words'} and ${question.length} characters.`,
      `- It ${isQuestion ? 'is' : 'is not'} a question.`,
      `- This conversation now holds ${turns} ${turns === 1 ? 'message' : 'messages'}, all saved on the server.`,
    ].join('\n'),
    ['```json', JSON.stringify({ words, characters: question.length, question: isQuestion, messages: turns }, null, 2), '```'].join('\n'),
    `_Configure a real provider (\`OPENAI_API_KEY\`, \`ANTHROPIC_API_KEY\` or \`AI_CHAT_MODELS\`) for real answers._`,
  ].join('\n\n');
}

function quote(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const start = oneLine.length > QUOTE_LENGTH ? `${oneLine.slice(0, QUOTE_LENGTH).trimEnd()}…` : oneLine;
  // Quoted as text, so that what the visitor typed cannot become markdown of its own.
  return `> ${start.replace(/([\\`*_[\]<>#|~])/g, '\\$1') || '(an empty message)'}`;
}

function countTurns(messages: readonly ChatTurn[]): number {
  // the reply being written counts too
  return messages.length + 1;
}

/** Counts whitespace-separated words, the demo's stand-in for tokens. */
export function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
