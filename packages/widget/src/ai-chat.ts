import { html, LitElement, type PropertyValues } from 'lit';
import type { Message } from '@ai-chat/protocol';
import { property } from 'lit/decorators.js';
import { hostStyles, panelStyles } from './ai-chat.styles.js';
import type { ChatClientLike } from './chat-client-like.js';
import { ComposerController } from './components/composer/composer.controller.js';
import { ComposerSendEvent } from './components/composer/composer.events.js';
import { composerStyles } from './components/composer/composer.styles.js';
import { renderComposer } from './components/composer/composer.template.js';
import type { SendOutcome } from './controllers/conversation.controller.js';
import { measureDraft } from './limits.js';
import { errorBannerStyles } from './components/error-banner/error-banner.styles.js';
import { renderErrorBanner } from './components/error-banner/error-banner.template.js';
import { launcherStyles } from './components/launcher/launcher.styles.js';
import { renderLauncher } from './components/launcher/launcher.template.js';
import { markdownStyles } from './components/message-list/markdown.styles.js';
import { MessageListController } from './components/message-list/message-list.controller.js';
import { messageListStyles } from './components/message-list/message-list.styles.js';
import { renderJumpToLatest, renderMessageList } from './components/message-list/message-list.template.js';
import { messageStyles } from './components/message-list/message.styles.js';
import { SessionPickEvent } from './components/session-picker/session-picker.events.js';
import { SessionPickerController } from './components/session-picker/session-picker.controller.js';
import { sessionItemStyles } from './components/session-picker/session-item.styles.js';
import { sessionPickerStyles } from './components/session-picker/session-picker.styles.js';
import { renderSessionDropdown, renderSessionPicker } from './components/session-picker/session-picker.template.js';
import { MessageActionsController } from './components/message-actions/message-actions.controller.js';
import { messageActionsStyles } from './components/message-actions/message-actions.styles.js';
import { startersStyles } from './components/starters/starters.styles.js';
import { SessionSearchController } from './components/session-search/session-search.controller.js';
import { sessionSearchStyles } from './components/session-search/session-search.styles.js';
import { parseStarters, StartersController, toStarters, type Starter } from './controllers/starters.controller.js';
import { highlightStyles } from './markdown/highlight.styles.js';
import { displayTitle } from './components/session-picker/session-item.template.js';
import { AnnouncerController } from './controllers/announcer.controller.js';
import { ChatController } from './controllers/chat.controller.js';
import { ScrollLockController } from './controllers/scroll-lock.controller.js';
import { VisualViewportController } from './controllers/visual-viewport.controller.js';
import { createChatClient } from './create-chat-client.js';
import { AiMessageSendEvent, AiOpenChangeEvent, type AiResponseEndEvent } from './events.js';
import { LocaleController } from './i18n/locale.controller.js';
import { icons } from './icons.js';
import type { AiChatStrings } from './strings.js';

// The width under which an open launcher panel covers the whole screen (a phone), as in the panel's styles.
const FULL_SCREEN_QUERY = '(max-width: 520px)';

/**
 * An AI chat with its own history of conversations, for any web page.
 *
 * @summary Embeddable AI chat: sessions dropdown, streaming markdown replies, inline or launcher mode.
 *
 * @event ai-ready - The visitor, models and sessions are loaded and the visitor can type.
 * @event ai-session-change - The active session changed; `event.sessionId` (null for a fresh draft).
 * @event ai-message-send - A message is about to be sent; `event.content`. Cancelable.
 * @event ai-response-end - An assistant reply ended; `event.message` (its `status` says how).
 * @event ai-error - Something failed; `event.error` (an SDK error class). The element shows it too.
 * @event ai-open-change - The launcher panel opened or closed; `event.open`.
 * @event ai-feedback - The visitor rated a reply (stored on the server); `event.messageId`, `event.rating` (`up`, `down` or null), `event.reason`.
 *
 * @csspart launcher - The floating button of `mode="launcher"`.
 * @csspart panel - The chat panel.
 * @csspart header - The panel's top bar.
 * @csspart session-picker - The button that opens the sessions dropdown.
 * @csspart session-list - The dropdown's list of sessions (role listbox).
 * @csspart session-item - One session in the list (role option; `aria-selected="true"` when active).
 * @csspart new-session - The button that starts a new session.
 * @csspart model-picker - The model chooser for new sessions.
 * @csspart messages - The message log (role log).
 * @csspart message - Every message, together with `user` or `assistant`.
 * @csspart composer - The box around the input and its buttons.
 * @csspart input - The text area.
 * @csspart send - The send button.
 * @csspart stop - The stop button shown while a reply streams.
 * @csspart error - An error banner or a failed reply's notice.
 * @csspart message-actions - The buttons under a message (a group).
 * @csspart copy - Copies the message's markdown; its label says "Copied" for a moment.
 * @csspart regenerate - Writes a new version of the last reply, with the model picked now.
 * @csspart edit - Edits the last user message inline and sends it again.
 * @csspart edit-input - The inline editor's text area.
 * @csspart edit-save - Sends the edited message.
 * @csspart edit-cancel - Leaves the inline editor.
 * @csspart version-previous - Shows the previous version of a message.
 * @csspart version-next - Shows the next version of a message.
 * @csspart version-label - Which version is shown ("2 / 3").
 * @csspart feedback-up - Rates a reply as good (`aria-pressed` tells the state).
 * @csspart feedback-down - Rates a reply as bad (`aria-pressed` tells the state).
 * @csspart feedback-reason - The optional reason field shown after a rating.
 * @csspart feedback-send - Sends the reason.
 * @csspart starters - The starter prompts of an empty conversation (a group).
 * @csspart starter - One starter prompt; a click sends it.
 * @csspart session-search - The search field of the sessions dropdown.
 * @csspart search-result - A session found by the search, with its snippet (the match marked).
 * @csspart announcer - The visually hidden live region that says what happened.
 *
 * @cssproperty --ai-chat-font-family - Text font. Default: the system UI font.
 * @cssproperty --ai-chat-mono-font-family - Code font. Default: the system monospace font.
 * @cssproperty --ai-chat-font-size - Base text size. Default: 15px.
 * @cssproperty --ai-chat-line-height - Base line height. Default: 1.6.
 * @cssproperty --ai-chat-background - Panel background. Default: #ffffff (dark: #18181b).
 * @cssproperty --ai-chat-surface - Composer and hover background. Default: #f6f6f7 (dark: #232327).
 * @cssproperty --ai-chat-surface-hover - Hovered controls. Default: #ededf0 (dark: #2c2c31).
 * @cssproperty --ai-chat-text - Text colour. Default: #1d1d22 (dark: #ededf0).
 * @cssproperty --ai-chat-text-muted - Secondary text. Default: #5e5e6b (dark: #a3a3ad).
 * @cssproperty --ai-chat-border - Borders and dividers. Default: #e4e4e9 (dark: #34343a).
 * @cssproperty --ai-chat-accent - Brand colour: launcher, send button, links, focus. Default: #4f46e5 (dark: #8b8cf8).
 * @cssproperty --ai-chat-accent-text - Text on the accent colour. Default: #ffffff (dark: #111114).
 * @cssproperty --ai-chat-accent-soft - Active session and focus halo. Default: #eef0ff (dark: #2a2a44).
 * @cssproperty --ai-chat-user-background - The visitor's bubbles. Default: #f0f0f4 (dark: #2c2c33).
 * @cssproperty --ai-chat-user-text - Text in the visitor's bubbles. Default: #1d1d22 (dark: #ededf0).
 * @cssproperty --ai-chat-code-background - Code blocks. Default: #f6f6f7 (dark: #0f0f12).
 * @cssproperty --ai-chat-code-keyword - Highlighted keywords. Default: #cf222e (dark: #ff7b72).
 * @cssproperty --ai-chat-code-string - Highlighted strings. Default: #0a3069 (dark: #a5d6ff).
 * @cssproperty --ai-chat-code-comment - Highlighted comments. Default: #57606a (dark: #8b949e).
 * @cssproperty --ai-chat-code-number - Highlighted numbers, constants and properties. Default: #0550ae (dark: #79c0ff).
 * @cssproperty --ai-chat-code-function - Highlighted function names. Default: #6639ba (dark: #d2a8ff).
 * @cssproperty --ai-chat-code-type - Highlighted types and built-ins. Default: #953800 (dark: #ffa657).
 * @cssproperty --ai-chat-code-tag - Highlighted tags and inserted lines. Default: #116329 (dark: #7ee787).
 * @cssproperty --ai-chat-code-deleted - Highlighted deleted lines. Default: #82071e (dark: #ffa198).
 * @cssproperty --ai-chat-danger - Errors. Default: #b42318 (dark: #f87171).
 * @cssproperty --ai-chat-danger-soft - Error backgrounds. Default: #fef1f0 (dark: #3a1f22).
 * @cssproperty --ai-chat-radius - Panel and composer corners. Default: 18px.
 * @cssproperty --ai-chat-radius-small - Buttons, items and code corners. Default: 10px.
 * @cssproperty --ai-chat-spacing - Inner padding. Default: 16px.
 * @cssproperty --ai-chat-width - Launcher panel width. Default: 400px.
 * @cssproperty --ai-chat-height - Launcher panel height. Default: 640px.
 * @cssproperty --ai-chat-offset - Launcher distance from the viewport corner. Default: 20px.
 * @cssproperty --ai-chat-z-index - Launcher stacking level. Default: 2147483000.
 * @cssproperty --ai-chat-shadow - Launcher panel and dropdown shadow.
 */
export class AiChat extends LitElement {
  static override styles = [
    hostStyles, panelStyles, launcherStyles, errorBannerStyles, sessionPickerStyles, sessionItemStyles,
    messageListStyles, messageStyles, markdownStyles, highlightStyles, messageActionsStyles, startersStyles, sessionSearchStyles, composerStyles,
  ];

  /** API base URL of the ai-chat server. Default: the page's origin. */
  @property() server?: string;
  /** The model new sessions start with (an id from `GET /api/models`). Default: the server's default model. */
  @property() model?: string;
  /** `inline` fills its container; `launcher` is a floating button that opens a panel. */
  @property({ reflect: true }) mode: 'inline' | 'launcher' = 'inline';
  /** Whether the launcher panel is open (the `open` attribute; `open()` is the method). */
  @property({ type: Boolean, reflect: true, attribute: 'open' }) isOpen = false;
  /** A JWT from the host site's backend that identifies the visitor (see the server's identify endpoint). */
  @property({ attribute: 'user-token' }) userToken?: string;
  /** The small heading above the session title. */
  @property() heading?: string;
  /** The composer's placeholder. */
  @property() placeholder?: string;
  /** `light`, `dark`, or `auto` to follow the visitor's system. */
  @property({ reflect: true }) theme: 'light' | 'dark' | 'auto' = 'light';
  /** The language of every text and the locale of dates and numbers (BCP 47: `de`, `pt-BR`, `ar`). Default: the closest `lang` of the page, else the browser's; English when none is built in. */
  @property() locale?: string;
  /** The launcher's bottom corner: `end` (the inline end of the language: right in English, left in Arabic and Hebrew), `start`, `left` or `right`. */
  @property({ reflect: true }) position: 'end' | 'start' | 'left' | 'right' = 'end';
  /** Space-separated origins that images in replies may load from, or `*` for any https image. Default: none. */
  @property({ attribute: 'image-hosts' }) imageHosts = '';
  /**
   * Starter prompts the empty conversation offers as buttons (one click sends one): a JSON array of strings or
   * `{ "prompt", "label" }` objects. Overrides the server's (`GET /api/config`); `[]` shows none.
   */
  @property({ converter: { fromAttribute: parseStarters } })
  get starters(): Starter[] | undefined {
    return this.#starters;
  }
  set starters(value: unknown) {
    const previous = this.#starters;
    this.#starters = toStarters(value);
    this.requestUpdate('starters', previous);
  }
  #starters: Starter[] | undefined;
  /** Overrides for any visible text, laid over the chosen language. */
  @property({ attribute: false }) strings: Partial<AiChatStrings> = {};
  /** An SDK `ChatClient` to use instead of the one the element makes from `server` and `user-token`. */
  @property({ attribute: false }) client?: ChatClientLike;

  // State: one controller per job (src/controllers); each region's own behaviour (src/components).
  private readonly chat = new ChatController(this, () => this.client ?? createChatClient(this.serverUrl, this.userToken));
  private readonly picker = new SessionPickerController(this, this.chat.sessions, this.chat.conversation);
  private readonly messageList = new MessageListController(this, this.chat.conversation);
  private readonly composer = new ComposerController(this, this.chat.sessions, this.chat.conversation, this.chat.connection);
  private readonly i18n = new LocaleController(this);
  private readonly announcer = new AnnouncerController(this);
  private readonly starterPrompts = new StartersController(this, this.chat.connection);
  private readonly search = new SessionSearchController(this, this.chat.connection, this.chat.conversation);
  private readonly actions = new MessageActionsController(this, {
    regenerate: (message) => this.chat.versions.regenerate(message.id),
    edit: (message, content) => this.chat.versions.edit(message.id, content),
    showVersion: (message, step) => this.chat.versions.showVersion(message.id, step),
    rate: (message, rating, reason) => this.chat.versions.rate(message.id, rating, reason),
    announce: (text) => this.announcer.announce(text),
    strings: () => this.i18n.strings,
  });
  private readonly viewport = new VisualViewportController(this, () => this.isFullScreen());
  private readonly scrollLock = new ScrollLockController(this, () => this.isFullScreen());
  // Custom states (`:host(:state(launcher-left))`) place the launcher without writing attributes into the page.
  private readonly internals = this.attachInternals?.();

  constructor() {
    super();
    this.addEventListener('ai-response-end', (event) => this.announceEnd((event as AiResponseEndEvent).message));
    this.messageList.onCopy = () => this.announcer.announce(this.text.copied);
  }

  /** The server the element talks to: `server`, or the page's origin. */
  get serverUrl(): string {
    return (this.server || globalThis.location?.origin || '').replace(/\/+$/, '');
  }

  /** The texts in use: the chosen language with `strings` and the `heading` and `placeholder` attributes on top. */
  get text(): AiChatStrings {
    return { ...this.i18n.strings, ...(this.heading ? { heading: this.heading } : {}), ...(this.placeholder ? { placeholder: this.placeholder } : {}) };
  }

  /** Opens the launcher panel and moves focus into it. */
  open(): void {
    this.setOpen(true);
  }

  /** Closes the launcher panel and gives focus back to the launcher button. */
  close(): void {
    this.setOpen(false);
  }

  /** Opens the launcher panel when closed, closes it when open. */
  toggle(): void {
    this.setOpen(!this.isOpen);
  }

  /**
   * Starts a new conversation, with `model` or the one chosen in the model picker. It is stored when its first message
   * is sent (`ai-session-change` fires with null now, and with its id then), so no empty sessions pile up.
   */
  newSession(model?: string): Promise<void> {
    return this.chat.conversation.newSession(model);
  }

  /** Makes a session active and shows its messages. */
  selectSession(id: string): Promise<void> {
    return this.chat.conversation.select(id);
  }

  /**
   * Sends a message in the active session (after a cancelable `ai-message-send`) and streams the reply. A second
   * send while a reply is starting or being written waits for it, then goes. A message longer than the server accepts
   * is refused with `ai-error` (a `MessageTooLongError`) and a sentence in the element.
   */
  async send(text: string): Promise<void> {
    await this.submit(text);
  }

  /** Stops the reply being written in the active session. */
  stop(): Promise<void> {
    return this.chat.conversation.stop();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const isReconfigured = changed.has('server') || changed.has('userToken') || changed.has('client');
    if (this.hasUpdated && isReconfigured) this.chat.reset();
    const { sessions } = this.chat;
    if (changed.has('model') && this.model && sessions.models.some((model) => model.id === this.model)) sessions.selectModel(this.model);
  }

  override render() {
    const text = this.text;
    const { connection, sessions, conversation } = this.chat;
    const { tag, dir, formatLocale: locale } = this.i18n;
    const markdown = { imageHosts: this.imageHosts.split(/\s+/).filter(Boolean), copyLabel: text.copy, copiedLabel: text.copied, imageLabel: text.imageBlocked };
    const listView = { sessions: sessions.sessions, activeSessionId: sessions.activeSessionId, models: sessions.models, strings: text, locale, hasMore: sessions.cursor !== null };
    const composerView = { strings: text, models: sessions.models, selectedModel: sessions.selectedModel, isStreaming: conversation.isStreaming, isReady: connection.status === 'ready', locale };
    const panel = html`<section class="panel" part="panel" role=${this.mode === 'launcher' ? 'dialog' : 'region'} aria-label=${text.heading}
      lang=${tag} dir=${dir} @keydown=${this.handlePanelKeydown} @session-pick=${this.handleSessionPick} @session-new=${this.handleSessionNew} @composer-send=${this.handleComposerSend}>
      <header class="header" part="header">
        ${renderSessionPicker(displayTitle(sessions.activeSession?.title, text), text, this.picker)}
        ${this.mode === 'launcher' ? html`<button type="button" class="icon-button" part="close" aria-label=${text.close} title=${text.close}
          @click=${this.close}>${icons.close}</button>` : null}
        ${renderSessionDropdown(listView, this.picker, this.search)}
      </header>
      ${renderMessageList(conversation.history, {
        models: sessions.models, strings: text, locale, markdown, onRetry: this.handleRetry,
        actions: { controller: this.actions, isBusy: conversation.isStreaming, locale },
        starters: { items: this.starterPrompts.resolve(this.starters), send: this.handleStarterClick },
      }, this.messageList)}
      <div class="composer-area">
        ${renderJumpToLatest(text, this.messageList)}
        ${renderErrorBanner(connection.failure, text, locale, () => connection.dismissFailure())}
        ${renderComposer(composerView, this.composer)}
      </div>
      ${this.announcer.render()}
    </section>`;
    if (this.mode !== 'launcher') return panel;
    return html`${panel}${renderLauncher(this.isOpen, text, () => this.toggle())}`;
  }

  protected override updated(): void {
    // The visible area on a phone (above the on-screen keyboard), set through the CSSOM: a style attribute would be
    // refused by a host page's Content-Security-Policy without 'unsafe-inline'.
    const panel = this.renderRoot.querySelector<HTMLElement>('.panel');
    const area = this.viewport.area;
    for (const [name, value] of [['--ai-chat-visible-height', area?.height], ['--ai-chat-visible-top', area?.top]] as const) {
      if (value === undefined) panel?.style.removeProperty(name);
      else panel?.style.setProperty(name, `${value}px`);
    }
    // The launcher's corner: `end` follows the language's direction, `start` the other way, left and right as said.
    const isRightToLeft = this.i18n.dir === 'rtl';
    const isLeft = this.position === 'left' || (this.position === 'start' && !isRightToLeft) || (this.position === 'end' && isRightToLeft);
    try {
      if (isLeft) this.internals?.states?.add('launcher-left');
      else this.internals?.states?.delete('launcher-left');
    } catch {
      // A browser with the older `--name` syntax only: the launcher stays on the right.
    }
  }

  /** An open launcher panel on a phone-sized screen: it covers the page, so it follows the keyboard and locks the page. */
  private isFullScreen(): boolean {
    return this.mode === 'launcher' && this.isOpen && !!globalThis.matchMedia?.(FULL_SCREEN_QUERY).matches;
  }

  /** Says a finished reply once (the log is busy while it streams), or that it stopped; a failure is an alert already. */
  private announceEnd(message: Message) {
    if (message.status === 'stopped') return this.announcer.announce(this.text.announceStopped);
    if (message.status !== 'complete') return;
    void this.updateComplete.then(() => {
      const content = this.renderRoot.querySelector(`[part~="assistant"][data-id="${CSS.escape(message.id)}"] .content`);
      const reply = content?.textContent?.replace(/\s+/g, ' ').trim() || message.content;
      this.announcer.announce(this.i18n.format('announceReply', { text: reply }));
    });
  }

  private readonly handleRetry = (event: Event) => {
    this.announcer.announce(this.text.announceRetrying);
    this.messageList.handleRetry(event);
  };

  private setOpen(isOpen: boolean): void {
    if (isOpen === this.isOpen) return;
    this.isOpen = isOpen;
    this.dispatchEvent(new AiOpenChangeEvent(isOpen));
    void this.updateComplete.then(() => (isOpen ? this.composer.focus() : this.renderRoot.querySelector<HTMLElement>('.launcher')?.focus()));
  }

  /**
   * Sends unless the text is empty, too long (refused with a sentence) or the host cancels `ai-message-send`; a send
   * while a reply starts waits for it. Null when nothing was even tried.
   */
  private submit(text: string): Promise<SendOutcome> | null {
    const content = text.trim();
    if (!content) return null;
    const limits = this.chat.connection.scope?.limits;
    if (limits && measureDraft(content, limits).isOverLimit) return this.chat.conversation.send(content);
    if (!this.dispatchEvent(new AiMessageSendEvent(content))) return null;
    this.messageList.follow();
    return this.chat.conversation.send(content);
  }

  private readonly handleStarterClick = (prompt: string) => {
    if (this.chat.connection.status === 'ready' && !this.chat.conversation.isStreaming) void this.submit(prompt);
  };

  private handlePanelKeydown(event: KeyboardEvent) {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    if (this.picker.isOpen) {
      event.preventDefault();
      this.picker.close(true);
    } else if (this.mode === 'launcher' && this.isOpen) {
      event.preventDefault();
      this.close();
    }
  }

  private handleSessionPick(event: SessionPickEvent) {
    this.messageList.follow();
    // Focus goes back to the picker (the listbox's button); the switch is said with the title.
    const title = displayTitle(this.chat.sessions.sessions.find((session) => session.id === event.sessionId)?.title, this.text);
    this.announcer.announce(this.i18n.format('announceSessionOpened', { title }));
  }

  private handleSessionNew() {
    this.announcer.announce(this.text.announceNewSession);
    this.composer.focus();
  }

  /**
   * The composer's send: only when the element is ready and no reply is being written in this session. The text
   * stays in the composer when the send is refused, and comes back when it fails on the way.
   */
  private handleComposerSend(event: ComposerSendEvent) {
    const { connection, conversation } = this.chat;
    const limits = connection.scope?.limits;
    const isTooLong = !!limits && measureDraft(event.content, limits).isOverLimit;
    const sending = connection.status === 'ready' && !conversation.isStreaming ? this.submit(event.content) : null;
    if (!sending || isTooLong) {
      event.preventDefault();
      return;
    }
    void sending.then((outcome) => {
      if (outcome !== 'sent') this.composer.giveBack(event.content);
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ai-chat': AiChat;
  }
}
