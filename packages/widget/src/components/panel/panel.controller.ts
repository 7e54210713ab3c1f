import type { Message } from '@ai-chat/protocol';
import type { ChatController } from '../../controllers/chat.controller.js';
import type { SendOutcome } from '../../controllers/conversation.controller.js';
import type { AnnouncerController } from '../../controllers/announcer.controller.js';
import { AiMessageSendEvent, type AiResponseEndEvent } from '../../events.js';
import type { LocaleController } from '../../i18n/locale.controller.js';
import { measureDraft } from '../../limits.js';
import type { AiChatStrings } from '../../strings.js';
import type { ComponentHost } from '../component-host.js';
import type { ComposerController } from '../composer/composer.controller.js';
import type { ComposerSendEvent } from '../composer/composer.events.js';
import type { MessageListController } from '../message-list/message-list.controller.js';
import { displayTitle } from '../session-picker/session-item.template.js';
import type { SessionPickerController } from '../session-picker/session-picker.controller.js';
import type { SessionPickEvent } from '../session-picker/session-picker.events.js';

/** The element as its panel sees it: the mode, whether the launcher panel is open, the texts in use, and closing. */
export interface PanelHost extends ComponentHost {
  readonly mode: 'inline' | 'launcher';
  readonly isOpen: boolean;
  readonly text: AiChatStrings;
  close(): void;
}

/** The controllers the panel wires together. */
export interface PanelParts {
  readonly chat: ChatController;
  readonly picker: SessionPickerController;
  readonly messageList: MessageListController;
  readonly composer: ComposerController;
  readonly announcer: AnnouncerController;
  readonly i18n: LocaleController;
}

/**
 * What happens between the panel's regions: Escape closes the dropdown, then the launcher panel; a send from the
 * composer, a starter or `send()` is refused when too long or cancelled by the host (`ai-message-send`); a pick, New,
 * retry, copy and a finished reply are said to screen readers. The regions themselves own their behaviour.
 */
export class PanelController {
  readonly #host: PanelHost;
  readonly #parts: PanelParts;

  constructor(host: PanelHost, parts: PanelParts) {
    this.#host = host;
    this.#parts = parts;
    host.addEventListener('ai-response-end', (event) => this.#announceEnd((event as AiResponseEndEvent).message));
    parts.messageList.onCopy = () => parts.announcer.announce(host.text.copied);
  }

  /**
   * Sends unless the text is empty, too long (refused with a sentence) or the host cancels `ai-message-send`; a send
   * while a reply starts waits for it. Null when nothing was even tried.
   */
  submit(text: string): Promise<SendOutcome> | null {
    const { chat, messageList } = this.#parts;
    const content = text.trim();
    if (!content) return null;
    const limits = chat.connection.scope?.limits;
    if (limits && measureDraft(content, limits).isOverLimit) return chat.conversation.send(content);
    if (!this.#host.dispatchEvent(new AiMessageSendEvent(content))) return null;
    messageList.follow();
    return chat.conversation.send(content);
  }

  /** Escape closes the sessions dropdown first, then a launcher panel. */
  readonly handleKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    const host = this.#host;
    if (this.#parts.picker.isOpen) {
      event.preventDefault();
      this.#parts.picker.close(true);
    } else if (host.mode === 'launcher' && host.isOpen) {
      event.preventDefault();
      host.close();
    }
  };

  /** A session picked in the dropdown: the log follows its end, and its title is said (focus is back on the picker). */
  readonly handleSessionPick = (event: SessionPickEvent): void => {
    const { chat, messageList, announcer, i18n } = this.#parts;
    messageList.follow();
    const title = displayTitle(chat.sessions.sessions.find((session) => session.id === event.sessionId)?.title, this.#host.text);
    announcer.announce(i18n.format('announceSessionOpened', { title }));
  };

  /** New pressed: said, and the composer takes the focus. */
  readonly handleSessionNew = (): void => {
    this.#parts.announcer.announce(this.#host.text.announceNewSession);
    this.#parts.composer.focus();
  };

  /**
   * The composer's send: only when the element is ready and no reply is being written in this session. The text
   * stays in the composer when the send is refused, and comes back when it fails on the way.
   */
  readonly handleComposerSend = (event: ComposerSendEvent): void => {
    const { chat, composer } = this.#parts;
    const limits = chat.connection.scope?.limits;
    const isTooLong = !!limits && measureDraft(event.content, limits).isOverLimit;
    const sending = this.#canSend() ? this.submit(event.content) : null;
    if (!sending || isTooLong) {
      event.preventDefault();
      return;
    }
    void sending.then((outcome) => {
      if (outcome !== 'sent') composer.giveBack(event.content);
    });
  };

  /** A starter prompt clicked: sent like typed text, when a send could go now. */
  readonly handleStarterClick = (prompt: string): void => {
    if (this.#canSend()) void this.submit(prompt);
  };

  /** Retry on a failed reply: said, then done by the message list. */
  readonly handleRetry = (event: Event): void => {
    this.#parts.announcer.announce(this.#host.text.announceRetrying);
    this.#parts.messageList.handleRetry(event);
  };

  #canSend(): boolean {
    const { connection, conversation } = this.#parts.chat;
    return connection.status === 'ready' && !conversation.isStreaming;
  }

  /** Says a finished reply once (the log is busy while it streams), or that it stopped; a failure is an alert already. */
  #announceEnd(message: Message): void {
    const host = this.#host;
    const { announcer, i18n } = this.#parts;
    if (message.status === 'stopped') return announcer.announce(host.text.announceStopped);
    if (message.status !== 'complete') return;
    void host.updateComplete.then(() => {
      const content = host.renderRoot.querySelector(`[part~="assistant"][data-id="${CSS.escape(message.id)}"] .content`);
      const reply = content?.textContent?.replace(/\s+/g, ' ').trim() || message.content;
      announcer.announce(i18n.format('announceReply', { text: reply }));
    });
  }
}
