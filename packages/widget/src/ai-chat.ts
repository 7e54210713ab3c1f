import { LitElement, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { hostStyles } from './ai-chat.styles.js';
import type { ChatClientLike } from './chat-client-like.js';
import { ComposerController } from './components/composer/composer.controller.js';
import { composerStyles } from './components/composer/composer.styles.js';
import { errorBannerStyles } from './components/error-banner/error-banner.styles.js';
import { LauncherPlacementController } from './components/launcher/launcher-placement.controller.js';
import { launcherStyles } from './components/launcher/launcher.styles.js';
import { MessageActionsController } from './components/message-actions/message-actions.controller.js';
import { messageActionsStyles } from './components/message-actions/message-actions.styles.js';
import { markdownStyles } from './components/message-list/markdown.styles.js';
import { MessageListController } from './components/message-list/message-list.controller.js';
import { messageListStyles } from './components/message-list/message-list.styles.js';
import { messageStyles } from './components/message-list/message.styles.js';
import { PanelController } from './components/panel/panel.controller.js';
import { panelStyles } from './components/panel/panel.styles.js';
import { renderPanel } from './components/panel/panel.template.js';
import { sessionItemStyles } from './components/session-picker/session-item.styles.js';
import { SessionPickerController } from './components/session-picker/session-picker.controller.js';
import { sessionPickerStyles } from './components/session-picker/session-picker.styles.js';
import { SessionSearchController } from './components/session-search/session-search.controller.js';
import { sessionSearchStyles } from './components/session-search/session-search.styles.js';
import { startersStyles } from './components/starters/starters.styles.js';
import { AnnouncerController } from './controllers/announcer.controller.js';
import { ChatController } from './controllers/chat.controller.js';
import { ScrollLockController } from './controllers/scroll-lock.controller.js';
import { parseStarters, StartersController, toStarters, type Starter } from './controllers/starters.controller.js';
import { VisualViewportController } from './controllers/visual-viewport.controller.js';
import { createChatClient } from './create-chat-client.js';
import { AiOpenChangeEvent } from './events.js';
import { LocaleController } from './i18n/locale.controller.js';
import { highlightStyles } from './markdown/highlight.styles.js';
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
 */
export class AiChat extends LitElement {
  // Every region brings its own styles; the design tokens (`--ai-chat-*`, with their `@cssproperty` docs) are in ai-chat.styles.ts.
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

  // State: one controller per job (src/controllers); each region's own behaviour (src/components), wired by the panel's.
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
  private readonly parts = { chat: this.chat, picker: this.picker, messageList: this.messageList, composer: this.composer, announcer: this.announcer, i18n: this.i18n };
  private readonly panel = new PanelController(this, this.parts);
  private readonly viewport = new VisualViewportController(this, () => this.isFullScreen(), () => this.renderRoot.querySelector('.panel'));
  private readonly scrollLock = new ScrollLockController(this, () => this.isFullScreen());
  private readonly placement = new LauncherPlacementController(this, this.attachInternals?.(), () => this.i18n.dir === 'rtl');

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
    await this.panel.submit(text);
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
    const view = {
      mode: this.mode, isOpen: this.isOpen, text: this.text, imageHosts: this.imageHosts.split(/\s+/).filter(Boolean),
      starters: this.starterPrompts.resolve(this.starters), onClose: () => this.close(), onToggle: () => this.toggle(),
    };
    return renderPanel(view, { ...this.parts, panel: this.panel, search: this.search, actions: this.actions });
  }

  /** An open launcher panel on a phone-sized screen: it covers the page, so it follows the keyboard and locks the page. */
  private isFullScreen(): boolean {
    return this.mode === 'launcher' && this.isOpen && !!globalThis.matchMedia?.(FULL_SCREEN_QUERY).matches;
  }

  private setOpen(isOpen: boolean): void {
    if (isOpen === this.isOpen) return;
    this.isOpen = isOpen;
    this.dispatchEvent(new AiOpenChangeEvent(isOpen));
    void this.updateComplete.then(() => (isOpen ? this.composer.focus() : this.renderRoot.querySelector<HTMLElement>('.launcher')?.focus()));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ai-chat': AiChat;
  }
}
