import { html, nothing } from 'lit';
import { icons } from '../../icons.js';
import type { AiChatStrings } from '../../strings.js';
import { renderSessionItem, type SessionListView } from './session-item.template.js';
import type { SessionPickerController } from './session-picker.controller.js';

/** The header's session picker button (the active session's title under the heading) and the "New" button. */
export function renderSessionPicker(title: string, strings: AiChatStrings, picker: SessionPickerController) {
  return html`<button type="button" class="picker" part="session-picker" aria-haspopup="listbox" aria-expanded=${picker.isOpen ? 'true' : 'false'}
      @click=${picker.handlePickerClick} @keydown=${picker.handlePickerKeydown}>
      <span class="picker-text"><span class="picker-heading">${strings.heading}</span><span class="picker-title" dir="auto">${title}</span></span>
      ${icons.chevron}
    </button>
    <button type="button" class="icon-button" part="new-session" aria-label=${strings.newSession} title=${strings.newSession}
      @click=${picker.handleNew}>${icons.compose}</button>`;
}

/** The dropdown of sessions (when open): a listbox of options, most recent first, and "Load more". */
export function renderSessionDropdown(view: SessionListView, picker: SessionPickerController) {
  if (!picker.isOpen) return nothing;
  return html`<div class="dropdown" part="session-dropdown">
    <div class="dropdown-label" id="session-list-label">${view.strings.sessionsLabel}</div>
    ${view.sessions.length === 0
      ? html`<div class="dropdown-empty">${view.strings.noSessions}</div>`
      : html`<ul class="session-list" part="session-list" role="listbox" aria-labelledby="session-list-label"
          @scroll=${picker.handleListScroll}>
          ${view.sessions.map((session, index) => renderSessionItem(session, index, view, picker))}
        </ul>`}
    ${view.hasMore
      ? html`<button type="button" class="text-button load-more" part="load-more" @click=${picker.handleLoadMore}>
          ${view.strings.loadMoreSessions}</button>`
      : nothing}
  </div>`;
}
