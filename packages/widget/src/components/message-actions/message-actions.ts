import { html, nothing } from 'lit';
import type { Message } from '@ai-chat/protocol';
import { icons } from '../../icons.js';
import type { FeedbackRating } from '../../events.js';
import type { AiChatStrings } from '../../strings.js';
import { actionIcons } from './message-actions-icons.js';

/** A message as the actions read it: its versions (1-based) and its feedback, where the server sent them. */
export type ActionableMessage = Message & {
  versions?: { index: number; count: number };
  feedback?: { rating: 'up' | 'down'; reason?: string; updatedAt?: string };
};

/** What the actions under one message show. */
export interface MessageActionsView {
  message: ActionableMessage;
  strings: AiChatStrings;
  locale?: string;
  /** The session's last reply, nothing streaming: it can be generated again. */
  canRegenerate: boolean;
  /** The session's last user message, nothing streaming: it can be edited and sent again. */
  canEdit: boolean;
  /** A reply is streaming: stepping through versions waits until it ends. */
  isBusy: boolean;
  /** The message's markdown was just copied: the Copy button says so for a moment. */
  isCopied: boolean;
  /** The optional reason field of this message's rating is open. */
  isReasonOpen: boolean;
}

/** What the actions call; each gets the message it belongs to. */
export interface MessageActionsHandlers {
  copy(message: ActionableMessage): void;
  regenerate(message: ActionableMessage): void;
  edit(message: ActionableMessage): void;
  showVersion(message: ActionableMessage, step: -1 | 1): void;
  rate(message: ActionableMessage, rating: FeedbackRating): void;
  sendReason(message: ActionableMessage, reason: string): void;
  closeReason(message: ActionableMessage): void;
}

const format = (value: number, locale: string | undefined) => new Intl.NumberFormat(locale).format(value);

function renderVersions({ message, strings, locale, isBusy }: MessageActionsView, handlers: MessageActionsHandlers) {
  const versions = message.versions;
  if (!versions || versions.count < 2) return nothing;
  const label = strings.versionLabel.replace('{index}', format(versions.index, locale)).replace('{count}', format(versions.count, locale));
  return html`<span class="versions">
    <button type="button" class="icon-button previous" part="version-previous" aria-label=${strings.previousVersion} title=${strings.previousVersion}
      ?disabled=${isBusy || versions.index <= 1} @click=${() => handlers.showVersion(message, -1)}>${icons.chevron}</button>
    <span part="version-label" role="img" aria-label=${label}>${format(versions.index, locale)} / ${format(versions.count, locale)}</span>
    <button type="button" class="icon-button next" part="version-next" aria-label=${strings.nextVersion} title=${strings.nextVersion}
      ?disabled=${isBusy || versions.index >= versions.count} @click=${() => handlers.showVersion(message, 1)}>${icons.chevron}</button>
  </span>`;
}

function renderFeedback({ message, strings }: MessageActionsView, handlers: MessageActionsHandlers) {
  if (message.role !== 'assistant' || message.status === 'streaming') return nothing;
  const rating = message.feedback?.rating ?? null;
  const button = (value: 'up' | 'down', label: string) =>
    html`<button type="button" class="icon-button feedback ${value}" part="feedback-${value}" aria-label=${label} title=${label}
      aria-pressed=${rating === value ? 'true' : 'false'} @click=${() => handlers.rate(message, rating === value ? null : value)}>${actionIcons.thumb}</button>`;
  return html`${button('up', strings.goodResponse)}${button('down', strings.badResponse)}`;
}

function handleReasonKeydown(event: KeyboardEvent, message: ActionableMessage, handlers: MessageActionsHandlers) {
  if (event.key === 'Escape') {
    event.stopPropagation();
    handlers.closeReason(message);
  }
}

function handleReasonSubmit(event: SubmitEvent, message: ActionableMessage, handlers: MessageActionsHandlers) {
  event.preventDefault();
  const input = (event.currentTarget as HTMLFormElement).elements.namedItem('reason') as HTMLInputElement;
  handlers.sendReason(message, input.value.trim());
}

function renderReason({ message, strings, isReasonOpen }: MessageActionsView, handlers: MessageActionsHandlers) {
  if (!isReasonOpen) return nothing;
  return html`<form class="reason" @submit=${(event: SubmitEvent) => handleReasonSubmit(event, message, handlers)}>
    <input name="reason" part="feedback-reason" maxlength="500" aria-label=${strings.feedbackReason} placeholder=${strings.feedbackReason}
      .value=${message.feedback?.reason ?? ''} @keydown=${(event: KeyboardEvent) => handleReasonKeydown(event, message, handlers)}>
    <button type="submit" class="text-button" part="feedback-send">${strings.sendFeedback}</button>
    <button type="button" class="icon-button" part="feedback-close" aria-label=${strings.dismiss} title=${strings.dismiss}
      @click=${() => handlers.closeReason(message)}>${icons.close}</button>
  </form>`;
}

/**
 * The buttons under a finished message: Copy (its markdown), Regenerate (the last reply) or Edit (the last user
 * message), the versions of the turn (‹ 2 / 3 ›), and thumbs up or down on a reply with an optional short reason.
 * Every button has an accessible name; toggles say their state with `aria-pressed`.
 */
export function renderMessageActions(view: MessageActionsView, handlers: MessageActionsHandlers) {
  const { message, strings } = view;
  if (message.status === 'streaming') return nothing;
  const copyLabel = view.isCopied ? strings.copied : strings.copy;
  return html`<div class="message-actions" part="message-actions" role="group" aria-label=${strings.messageActions}>
      ${renderVersions(view, handlers)}
      <button type="button" class=${view.isCopied ? 'icon-button copied' : 'icon-button'} part="copy" aria-label=${copyLabel} title=${copyLabel}
        @click=${() => handlers.copy(message)}>${view.isCopied ? actionIcons.check : actionIcons.copy}</button>
      ${view.canEdit && message.role === 'user'
        ? html`<button type="button" class="icon-button" part="edit" aria-label=${strings.edit} title=${strings.edit} @click=${() => handlers.edit(message)}>${icons.pencil}</button>`
        : nothing}
      ${view.canRegenerate && message.role === 'assistant'
        ? html`<button type="button" class="icon-button" part="regenerate" aria-label=${strings.regenerate} title=${strings.regenerate} @click=${() => handlers.regenerate(message)}>${icons.retry}</button>`
        : nothing}
      ${renderFeedback(view, handlers)}
    </div>
    ${renderReason(view, handlers)}`;
}

/** What the inline editor of a user message shows. */
export interface MessageEditorView {
  message: ActionableMessage;
  draft: string;
  strings: AiChatStrings;
}

/** What the inline editor calls. */
export interface MessageEditorHandlers {
  input(draft: string): void;
  save(message: ActionableMessage, content: string): void;
  cancel(message: ActionableMessage): void;
}

function handleEditorKeydown(event: KeyboardEvent, view: MessageEditorView, handlers: MessageEditorHandlers) {
  if (event.key === 'Escape') {
    event.stopPropagation();
    handlers.cancel(view.message);
  } else if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
    event.preventDefault();
    if (view.draft.trim()) handlers.save(view.message, view.draft.trim());
  }
}

/** The inline editor that replaces the last user message while it is edited: Enter sends it again, Escape cancels. */
export function renderMessageEditor(view: MessageEditorView, handlers: MessageEditorHandlers) {
  const { strings } = view;
  return html`<div class="message-editor" part="message-editor">
    <textarea part="edit-input" rows="3" aria-label=${strings.editLabel} .value=${view.draft}
      @input=${(event: Event) => handlers.input((event.currentTarget as HTMLTextAreaElement).value)}
      @keydown=${(event: KeyboardEvent) => handleEditorKeydown(event, view, handlers)}></textarea>
    <div class="editor-buttons">
      <button type="button" class="text-button" part="edit-cancel" @click=${() => handlers.cancel(view.message)}>${strings.cancel}</button>
      <button type="button" class="primary-button" part="edit-save" ?disabled=${!view.draft.trim()}
        @click=${() => handlers.save(view.message, view.draft.trim())}>${strings.send}</button>
    </div>
  </div>`;
}
