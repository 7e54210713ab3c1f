import { html } from 'lit';
import type { Starter } from '../../controllers/starters.controller.js';
import { icons } from '../../icons.js';
import type { AiChatStrings } from '../../strings.js';
import { renderComposer } from '../composer/composer.template.js';
import { renderErrorBanner } from '../error-banner/error-banner.template.js';
import { renderLauncher } from '../launcher/launcher.template.js';
import type { MessageActionsController } from '../message-actions/message-actions.controller.js';
import { renderJumpToLatest, renderMessageList } from '../message-list/message-list.template.js';
import { displayTitle } from '../session-picker/session-item.template.js';
import { renderSessionDropdown, renderSessionPicker } from '../session-picker/session-picker.template.js';
import type { SessionSearchController } from '../session-search/session-search.controller.js';
import type { PanelController, PanelParts } from './panel.controller.js';

/** What the panel shows besides the controllers' state: the element's configuration and the texts in use. */
export interface PanelView {
  readonly mode: 'inline' | 'launcher';
  readonly isOpen: boolean;
  readonly text: AiChatStrings;
  /** Origins images in replies may load from (the `image-hosts` attribute, split). */
  readonly imageHosts: string[];
  /** The starter prompts an empty conversation offers. */
  readonly starters: Starter[];
  readonly onClose: () => void;
  readonly onToggle: () => void;
}

/** The controllers the panel renders from, with the panel's own. */
export interface PanelRenderParts extends PanelParts {
  readonly panel: PanelController;
  readonly search: SessionSearchController;
  readonly actions: MessageActionsController;
}

/**
 * The chat panel (a region inline, a dialog in launcher mode): the header with the sessions picker and dropdown, the
 * message log, the composer with "Jump to latest" and the error banner, the live region; and the launcher button.
 */
export function renderPanel(view: PanelView, parts: PanelRenderParts) {
  const { text, mode } = view;
  const { chat, picker, messageList, composer, announcer, i18n, panel, search, actions } = parts;
  const { connection, sessions, conversation } = chat;
  const { tag, dir, formatLocale: locale } = i18n;
  const markdown = { imageHosts: view.imageHosts, copyLabel: text.copy, copiedLabel: text.copied, imageLabel: text.imageBlocked };
  const listView = { sessions: sessions.sessions, activeSessionId: sessions.activeSessionId, models: sessions.models, strings: text, locale, hasMore: sessions.cursor !== null };
  const composerView = { strings: text, models: sessions.models, selectedModel: sessions.selectedModel, isStreaming: conversation.isStreaming, isReady: connection.status === 'ready', locale };
  const section = html`<section class="panel" part="panel" role=${mode === 'launcher' ? 'dialog' : 'region'} aria-label=${text.heading}
    lang=${tag} dir=${dir} @keydown=${panel.handleKeydown} @session-pick=${panel.handleSessionPick} @session-new=${panel.handleSessionNew}
    @composer-send=${panel.handleComposerSend}>
    <header class="header" part="header">
      ${renderSessionPicker(displayTitle(sessions.activeSession?.title, text), text, picker)}
      ${mode === 'launcher' ? html`<button type="button" class="icon-button" part="close" aria-label=${text.close} title=${text.close}
        @click=${view.onClose}>${icons.close}</button>` : null}
      ${renderSessionDropdown(listView, picker, search)}
    </header>
    ${renderMessageList(conversation.history, {
      models: sessions.models, strings: text, locale, markdown, onRetry: panel.handleRetry,
      actions: { controller: actions, isBusy: conversation.isStreaming, locale },
      starters: { items: view.starters, send: panel.handleStarterClick },
    }, messageList)}
    <div class="composer-area">
      ${renderJumpToLatest(text, messageList)}
      ${renderErrorBanner(connection.failure, text, locale, () => connection.dismissFailure())}
      ${renderComposer(composerView, composer)}
    </div>
    ${announcer.render()}
  </section>`;
  if (mode !== 'launcher') return section;
  return html`${section}${renderLauncher(view.isOpen, text, view.onToggle)}`;
}
