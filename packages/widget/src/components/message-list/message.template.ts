import { html, nothing } from 'lit';
import type { Message, Model } from '@ai-chat/protocol';
import { icons } from '../../icons.js';
import { renderMarkdown, type MarkdownContent, type MarkdownOptions } from '../../render-markdown.js';
import { describeError } from '../../i18n/describe-error.js';
import type { AiChatStrings } from '../../strings.js';

/** What one message needs to be drawn, besides the message itself. */
export interface MessageView {
  models: Model[];
  strings: AiChatStrings;
  /** The locale numbers in texts are written in. */
  locale: string;
  markdown: MarkdownOptions;
  /** Retry (only on the session's last reply, when it failed or was stopped); the button carries the id in `data-id`. */
  onRetry: (event: Event) => void;
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

function renderNotice(message: Message, isLast: boolean, view: MessageView) {
  if (message.status !== 'error' && message.status !== 'stopped') return nothing;
  const { strings } = view;
  const isError = message.status === 'error';
  // The sentence for the error's type in the visitor's language, never the server's English.
  const text = isError ? (message.error ? describeError(message.error, strings, view.locale) : strings.failed) : strings.stopped;
  return html`<div class=${isError ? 'notice failed' : 'notice'} part=${isError ? 'error' : 'notice'} role=${isError ? 'alert' : nothing}>
    ${isError ? icons.alert : nothing}<span>${text}</span>
    ${isLast ? html`<button type="button" class="text-button" part="retry" data-id=${message.id} @click=${view.onRetry}>${strings.retry}</button>` : nothing}
  </div>`;
}

/**
 * The actions under a message. Empty for now: the place where copy, feedback, regenerate, edit and the version
 * stepper go (the `message-actions` part of CONTRACT.md section 4).
 */
export function renderMessageActions(_message: Message, _isLast: boolean, _view: MessageView) {
  return nothing;
}

/** One message: the visitor's as plain text, the assistant's as sanitised markdown with its model and notice. */
export function renderMessage(message: Message, isLast: boolean, view: MessageView) {
  if (message.role === 'user') {
    // No whitespace around the text: the bubble keeps the visitor's line breaks (pre-wrap).
    return html`<div class="message user" part="message user" data-id=${message.id} dir="auto"><span class="visually-hidden">${view.strings.you}: </span>${message.content}</div>${renderMessageActions(message, isLast, view)}`;
  }
  const model = view.models.find((candidate) => candidate.id === message.model)?.label ?? message.model;
  const isWaiting = message.status === 'streaming' && message.content === '';
  return html`<div class="message assistant" part="message assistant" data-id=${message.id} data-status=${message.status}
    aria-busy=${message.status === 'streaming' ? 'true' : 'false'}>
    ${model ? html`<div class="message-model">${model}</div>` : nothing}
    ${isWaiting
      ? html`<div class="typing" role="status" aria-label=${view.strings.thinking}><span></span><span></span><span></span></div>`
      : html`<div class="content" dir="auto">${toTemplates(message, view.markdown)}</div>`}
    ${renderNotice(message, isLast, view)}
    ${renderMessageActions(message, isLast, view)}
  </div>`;
}
