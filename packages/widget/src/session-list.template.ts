import { html, nothing } from 'lit';
import type { Model, SessionSummary } from '@ai-chat/protocol';
import { formatDateTime, formatRelativeTime } from './format-relative-time.js';
import { icons } from './icons.js';
import type { AiChatStrings } from './strings.js';

/** What the dropdown shows. */
export interface SessionListView {
  sessions: SessionSummary[];
  activeSessionId: string | null;
  models: Model[];
  strings: AiChatStrings;
  locale: string | undefined;
  editingId: string | null;
  confirmingId: string | null;
  hasMore: boolean;
}

/** The dropdown's event listeners; each item carries its session id in `data-id`. */
export interface SessionListHandlers {
  select: (event: Event) => void;
  keydown: (event: KeyboardEvent) => void;
  renameStart: (event: Event) => void;
  renameKeydown: (event: KeyboardEvent) => void;
  renameBlur: (event: FocusEvent) => void;
  deleteStart: (event: Event) => void;
  deleteConfirm: (event: Event) => void;
  deleteCancel: (event: Event) => void;
  loadMore: () => void;
  scroll: (event: Event) => void;
}

/** Formats a message count in the element's locale. */
export function formatCount(count: number, strings: AiChatStrings, locale: string | undefined): string {
  if (count === 1) return strings.messageCountOne;
  return strings.messageCount.replace('{count}', new Intl.NumberFormat(locale).format(count));
}

function renderItemBody(session: SessionSummary, view: SessionListView, handlers: SessionListHandlers) {
  const { strings, locale } = view;
  if (view.editingId === session.id) {
    return html`<input class="session-rename" part="session-rename-input" data-id=${session.id}
      aria-label=${strings.renameLabel} maxlength="100" .value=${session.title}
      @keydown=${handlers.renameKeydown} @blur=${handlers.renameBlur} @click=${(event: Event) => event.stopPropagation()} />`;
  }
  if (view.confirmingId === session.id) {
    return html`<div class="session-confirm" @click=${(event: Event) => event.stopPropagation()}>
      <span>${strings.confirmDelete}</span>
      <button type="button" class="text-button danger" part="session-delete-confirm" data-id=${session.id}
        @click=${handlers.deleteConfirm}>${strings.delete}</button>
      <button type="button" class="text-button" part="session-delete-cancel" @click=${handlers.deleteCancel}
        @keydown=${(event: KeyboardEvent) => event.stopPropagation()}>${strings.cancel}</button>
    </div>`;
  }
  const model = view.models.find((candidate) => candidate.id === session.model)?.label ?? session.model;
  const when = session.lastMessage?.createdAt ?? session.updatedAt;
  return html`<div class="session-title-row">
      <span class="session-title">${session.title || strings.untitledSession}</span>
      <time class="session-time" datetime=${when} title=${formatDateTime(when, locale)}>${formatRelativeTime(when, locale)}</time>
    </div>
    ${session.lastMessage ? html`<div class="session-preview">${session.lastMessage.preview}</div>` : nothing}
    <div class="session-meta">
      <span class="chip">${model}</span><span class="chip">${formatCount(session.messageCount, strings, locale)}</span>
    </div>`;
}

function renderItem(session: SessionSummary, index: number, view: SessionListView, handlers: SessionListHandlers) {
  const isActive = session.id === view.activeSessionId;
  const isBusy = view.editingId === session.id || view.confirmingId === session.id;
  // The pointer-only shortcuts below are not focusable: keyboard users get F2 and Delete on the option instead.
  return html`<li class="session-item" part="session-item" role="option" id=${`session-${index}`} data-id=${session.id}
    aria-selected=${isActive ? 'true' : 'false'} aria-keyshortcuts="F2 Delete" tabindex="-1"
    @click=${handlers.select} @keydown=${handlers.keydown}>
    <div class="session-main">${renderItemBody(session, view, handlers)}</div>
    ${isBusy ? nothing : html`<div class="session-actions" aria-hidden="true">
      <span class="session-action" part="session-rename" data-id=${session.id} title=${view.strings.rename}
        @click=${handlers.renameStart}>${icons.pencil}</span>
      <span class="session-action" part="session-delete" data-id=${session.id} title=${view.strings.delete}
        @click=${handlers.deleteStart}>${icons.trash}</span>
    </div>`}
  </li>`;
}

/** The dropdown of sessions: a listbox of options, most recent first, with rename and delete in place. */
export function renderSessionList(view: SessionListView, handlers: SessionListHandlers) {
  return html`<div class="dropdown" part="session-dropdown">
    <div class="dropdown-label" id="session-list-label">${view.strings.sessionsLabel}</div>
    ${view.sessions.length === 0
      ? html`<div class="dropdown-empty">${view.strings.noSessions}</div>`
      : html`<ul class="session-list" part="session-list" role="listbox" aria-labelledby="session-list-label"
          @scroll=${handlers.scroll}>
          ${view.sessions.map((session, index) => renderItem(session, index, view, handlers))}
        </ul>`}
    ${view.hasMore
      ? html`<button type="button" class="text-button load-more" part="load-more" @click=${handlers.loadMore}>
          ${view.strings.loadMoreSessions}</button>`
      : nothing}
  </div>`;
}
