import { html, nothing } from 'lit';
import type { Message, Model } from '@ai-chat/protocol';
import { icons } from './icons.js';
import { renderMarkdown, type MarkdownContent, type MarkdownOptions } from './render-markdown.js';
import type { AiChatStrings } from './strings.js';

/** What the message log shows. */
export interface MessageListView {
  messages: Message[];
  models: Model[];
  strings: AiChatStrings;
  markdown: MarkdownOptions;
  isLoaded: boolean;
  isLoadingOlder: boolean;
}

/** The log's event listeners; a Retry button (only on the session's last reply) carries its message id in `data-id`. */
export interface MessageListHandlers {
  retry: (event: Event) => void;
}

// Messages are immutable objects: one that did not change keeps its identity, so only the message being streamed
// is lexed again (once per animation frame), and Lit patches just the text that changed.
const rendered = new WeakMap<Message, { key: string; content: MarkdownContent[] }>();

function toTemplates(message: Message, options: MarkdownOptions): MarkdownContent[] {
  const key = JSON.stringify(options);
  const cached = rendered.get(message);
  if (cached?.key === key) return cached.content;
  const content = renderMarkdown(message.content, options);
  rendered.set(message, { key, content });
  return content;
}

function renderNotice(message: Message, isLast: boolean, strings: AiChatStrings, handlers: MessageListHandlers) {
  if (message.status !== 'error' && message.status !== 'stopped') return nothing;
  const isError = message.status === 'error';
  const text = isError ? `${strings.failed}${message.error?.message ? `: ${message.error.message}` : ''}` : strings.stopped;
  return html`<div class=${isError ? 'notice failed' : 'notice'} part=${isError ? 'error' : 'notice'} role=${isError ? 'alert' : nothing}>
    ${isError ? icons.alert : nothing}<span>${text}</span>
    ${isLast ? html`<button type="button" class="text-button" part="retry" data-id=${message.id} @click=${handlers.retry}>${strings.retry}</button>` : nothing}
  </div>`;
}

function renderMessage(message: Message, isLast: boolean, view: MessageListView, handlers: MessageListHandlers) {
  if (message.role === 'user') {
    // No whitespace around the text: the bubble keeps the visitor's line breaks (pre-wrap).
    return html`<div class="message user" part="message user" data-id=${message.id}><span class="visually-hidden">${view.strings.you}: </span>${message.content}</div>`;
  }
  const model = view.models.find((candidate) => candidate.id === message.model)?.label ?? message.model;
  const isWaiting = message.status === 'streaming' && message.content === '';
  return html`<div class="message assistant" part="message assistant" data-id=${message.id} data-status=${message.status}
    aria-busy=${message.status === 'streaming' ? 'true' : 'false'}>
    ${model ? html`<div class="message-model">${model}</div>` : nothing}
    ${isWaiting
      ? html`<div class="typing" role="status" aria-label=${view.strings.thinking}><span></span><span></span><span></span></div>`
      : html`<div class="content">${toTemplates(message, view.markdown)}</div>`}
    ${renderNotice(message, isLast, view.strings, handlers)}
  </div>`;
}

function renderEmpty(strings: AiChatStrings) {
  return html`<div class="empty" part="empty">
    <div class="empty-mark">${icons.sparkle}</div>
    <h2>${strings.emptyTitle}</h2>
    <p>${strings.emptyBody}</p>
  </div>`;
}

/** The conversation: the visitor's messages as plain text, the assistant's as sanitised markdown. */
export function renderMessageList(view: MessageListView, handlers: MessageListHandlers) {
  if (view.isLoaded && view.messages.length === 0) return renderEmpty(view.strings);
  return html`${view.isLoadingOlder ? html`<div class="older">${view.strings.loadingOlder}</div>` : nothing}
    <div class="thread">
      ${view.messages.map((message, index) => renderMessage(message, index === view.messages.length - 1, view, handlers))}
    </div>`;
}
