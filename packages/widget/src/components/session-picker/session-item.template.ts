import { html, nothing } from 'lit';
import type { Model, SessionSummary } from '@ai-chat/protocol';
import { formatDateTime, formatRelativeTime } from '../../format-relative-time.js';
import { formatMessage } from '../../i18n/format-message.js';
import { icons } from '../../icons.js';
import type { AiChatStrings } from '../../strings.js';
import type { SessionPickerController } from './session-picker.controller.js';

/** What the dropdown shows, from the sessions controller and the element's configuration. */
export interface SessionListView {
  sessions: SessionSummary[];
  activeSessionId: string | null;
  models: Model[];
  strings: AiChatStrings;
  /** The locale dates and numbers are written in. */
  locale: string;
  hasMore: boolean;
}

/** "12 messages" in the element's language, with its plural rules (a host's older non-plural text still works). */
export function formatCount(count: number, strings: AiChatStrings, locale: string): string {
  if (count === 1 && !strings.messageCount.includes('plural')) return strings.messageCountOne;
  return formatMessage(strings.messageCount, { count }, locale);
}

// The title the server gives a session before its first message (English, whatever the visitor's language).
const SERVER_DEFAULT_TITLE = 'New chat';

/** A session's title to show: its own, or "New chat" in the visitor's language while it has none of its own. */
export function displayTitle(title: string | undefined, strings: AiChatStrings): string {
  return !title || title === SERVER_DEFAULT_TITLE ? strings.untitledSession : title;
}

const stop = (event: Event) => event.stopPropagation();

function renderItemBody(session: SessionSummary, view: SessionListView, picker: SessionPickerController) {
  const { strings, locale } = view;
  if (picker.editingId === session.id) {
    return html`<input class="session-rename" part="session-rename-input" data-id=${session.id}
      aria-label=${strings.renameLabel} maxlength="100" .value=${session.title}
      @keydown=${picker.handleRenameKeydown} @blur=${picker.handleRenameBlur} @click=${stop} />`;
  }
  if (picker.confirmingId === session.id) {
    return html`<div class="session-confirm" @click=${stop} @keydown=${picker.handleConfirmKeydown}>
      <span>${strings.confirmDelete}</span>
      <button type="button" class="text-button danger" part="session-delete-confirm" data-id=${session.id}
        @click=${picker.handleDeleteConfirm}>${strings.delete}</button>
      <button type="button" class="text-button" part="session-delete-cancel" @click=${picker.handleDeleteCancel}>${strings.cancel}</button>
    </div>`;
  }
  const model = view.models.find((candidate) => candidate.id === session.model)?.label ?? session.model;
  const when = session.lastMessage?.createdAt ?? session.updatedAt;
  return html`<div class="session-title-row">
      <span class="session-title" dir="auto">${displayTitle(session.title, strings)}</span>
      <time class="session-time" datetime=${when} title=${formatDateTime(when, locale)}>${formatRelativeTime(when, locale)}</time>
    </div>
    ${session.lastMessage ? html`<div class="session-preview" dir="auto">${session.lastMessage.preview}</div>` : nothing}
    <div class="session-meta">
      <span class="chip">${model}</span><span class="chip">${formatCount(session.messageCount, strings, locale)}</span>
    </div>`;
}

/** One session of the dropdown (role option), with rename and delete in place. */
export function renderSessionItem(session: SessionSummary, index: number, view: SessionListView, picker: SessionPickerController) {
  const isActive = session.id === view.activeSessionId;
  const isBusy = picker.editingId === session.id || picker.confirmingId === session.id;
  return html`<li class="session-item" part="session-item" role="option" id=${`session-${index}`} data-id=${session.id}
    aria-selected=${isActive ? 'true' : 'false'} aria-keyshortcuts="F2 Delete" tabindex="-1"
    @click=${picker.handleSelect} @keydown=${picker.handleItemKeydown}>
    <div class="session-main">${renderItemBody(session, view, picker)}</div>
    ${isBusy ? nothing : renderActions(session, view, picker)}
  </li>`;
}

/**
 * Rename and delete. For the pointer they are icons that show on hover; Tab from the option turns them into buttons
 * that hold focus (Tab, Shift+Tab and Escape move between them and the option), so keyboard users reach them too.
 */
function renderActions(session: SessionSummary, view: SessionListView, picker: SessionPickerController) {
  const { strings } = view;
  if (picker.actionsId === session.id) {
    return html`<div class="session-actions keyboard">
      <button type="button" class="session-action" part="session-rename" data-id=${session.id} aria-label=${strings.rename} title=${strings.rename}
        @click=${picker.handleRenameStart} @keydown=${picker.handleActionKeydown}>${icons.pencil}</button>
      <button type="button" class="session-action" part="session-delete" data-id=${session.id} aria-label=${strings.delete} title=${strings.delete}
        @click=${picker.handleDeleteStart} @keydown=${picker.handleActionKeydown}>${icons.trash}</button>
    </div>`;
  }
  return html`<div class="session-actions" aria-hidden="true">
    <span class="session-action" part="session-rename" data-id=${session.id} title=${strings.rename}
      @click=${picker.handleRenameStart}>${icons.pencil}</span>
    <span class="session-action" part="session-delete" data-id=${session.id} title=${strings.delete}
      @click=${picker.handleDeleteStart}>${icons.trash}</span>
  </div>`;
}
