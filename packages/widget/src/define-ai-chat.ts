import { AiChat } from './ai-chat.js';

/** Registers `<ai-chat>` unless the page already has it (e.g. the script tag and an npm copy both loaded). */
export function defineAiChat(tagName = 'ai-chat'): void {
  if (!customElements.get(tagName)) customElements.define(tagName, tagName === 'ai-chat' ? AiChat : class extends AiChat {});
}
