import { html, nothing } from 'lit';
import type { SessionMessages } from '../../controllers/message-history.js';
import { icons } from '../../icons.js';
import type { AiChatStrings } from '../../strings.js';
import type { MessageListController } from './message-list.controller.js';
import { renderMessage, type MessageView } from './message.template.js';

function renderEmpty(strings: AiChatStrings) {
  return html`<div class="empty" part="empty">
    <div class="empty-mark">${icons.sparkle}</div>
    <h2>${strings.emptyTitle}</h2>
    <p>${strings.emptyBody}</p>
  </div>`;
}

function renderThread(history: SessionMessages, view: MessageView) {
  if (history.isLoaded && history.messages.length === 0) return renderEmpty(view.strings);
  const { messages } = history;
  return html`${history.isLoadingOlder ? html`<div class="older">${view.strings.loadingOlder}</div>` : nothing}
    <div class="thread">
      ${messages.map((message, index) => renderMessage(message, index === messages.length - 1, view))}
    </div>`;
}

/** The message log (role log): the conversation, or what to ask when it is empty. */
export function renderMessageList(history: SessionMessages, view: MessageView, list: MessageListController) {
  // Busy while a reply streams: screen readers wait, and the element announces the reply once it is complete.
  const isBusy = history.messages.some((message) => message.status === 'streaming');
  return html`<div class="messages" part="messages" role="log" aria-live="polite" aria-label=${view.strings.messagesLabel}
    aria-busy=${isBusy ? 'true' : 'false'} tabindex="0" @scroll=${list.handleScroll} @wheel=${list.handleWheel} @keydown=${list.handleKeydown} @click=${list.handleClick}>
    ${renderThread(history, view)}
  </div>`;
}

/** "Jump to latest", shown while the visitor reads further up than the newest message. */
export function renderJumpToLatest(strings: AiChatStrings, list: MessageListController) {
  if (!list.isScrolledUp) return nothing;
  return html`<button type="button" class="jump" part="jump" @click=${list.handleJump}>${icons.arrowDown}${strings.jumpToLatest}</button>`;
}
