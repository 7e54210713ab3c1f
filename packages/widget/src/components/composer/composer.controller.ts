import type { ReactiveController } from 'lit';
import type { ConnectionController, Scope } from '../../controllers/connection.controller.js';
import type { ConversationController } from '../../controllers/conversation.controller.js';
import type { SessionsController } from '../../controllers/sessions.controller.js';
import type { ComponentHost } from '../component-host.js';
import { ComposerSendEvent } from './composer.events.js';

/**
 * The composer's own state: the draft (kept per session in localStorage, so a reload or a failed send never loses it),
 * the IME composition (whose Enter picks a candidate and never sends), the text
 * area growing with its text, and focus. Sending goes out as a `ComposerSendEvent` that `<ai-chat>` answers.
 */
export class ComposerController implements ReactiveController {
  /** The text typed so far. */
  draft = '';

  readonly #host: ComponentHost;
  readonly #sessions: SessionsController;
  readonly #conversation: ConversationController;
  readonly #connection: ConnectionController;
  #isComposing = false;
  #resizedFor: string | null = null;
  /** The scope and session whose draft is in the composer, and whether the element was ready then. */
  #draftOf: { scope: Scope; sessionId: string | null; wasReady: boolean } | null = null;

  constructor(host: ComponentHost, sessions: SessionsController, conversation: ConversationController, connection: ConnectionController) {
    this.#host = host;
    this.#sessions = sessions;
    this.#conversation = conversation;
    this.#connection = connection;
    host.addController(this);
  }

  /** The server's limits the counter measures against, once known. */
  get limits() {
    return this.#connection.scope?.limits;
  }

  hostUpdate(): void {
    // Another session (or server, or visitor) is shown: its own unsent draft comes into the composer.
    const scope = this.#connection.scope;
    const sessionId = this.#sessions.activeSessionId;
    const isReady = this.#connection.status === 'ready';
    const previous = this.#draftOf;
    if (!scope) return;
    if (previous?.scope === scope && previous.sessionId === sessionId) {
      previous.wasReady ||= isReady;
      return;
    }
    this.#draftOf = { scope, sessionId, wasReady: isReady };
    const stored = scope.drafts.read(sessionId);
    // A new conversation was just stored by its first message while the visitor went on typing: the text stays.
    const isNewConversationStored = previous?.scope === scope && previous.sessionId === null && previous.wasReady;
    // Text typed before the element was ready (the remembered session still loading) belongs to the session it opens.
    const isTypedBeforeReady = !previous || (previous.scope === scope && !previous.wasReady);
    if ((isNewConversationStored || isTypedBeforeReady) && !stored && this.draft.trim()) {
      if (previous && previous.sessionId !== sessionId) scope.drafts.write(previous.sessionId, '');
      scope.drafts.write(sessionId, this.draft);
      return;
    }
    this.draft = stored;
  }

  /** Gives back the text of a send that did not go out (refused, or failed on the way), unless something new was typed. */
  giveBack(text: string): void {
    if (this.draft.trim()) return;
    this.#setDraft(text);
  }

  get #input(): HTMLTextAreaElement | null {
    return this.#host.renderRoot.querySelector<HTMLTextAreaElement>('.input');
  }

  /** Moves focus into the text area. */
  focus(): void {
    this.#input?.focus();
  }

  hostUpdated(): void {
    // The text area grows with its text (up to the height its styles allow).
    const input = this.#input;
    if (!input || this.#resizedFor === this.draft) return;
    this.#resizedFor = this.draft;
    // An empty text area has its styled height: no need to lay the page out at once to measure it (the first render).
    if (!this.draft) {
      input.style.height = '';
      return;
    }
    input.style.height = 'auto';
    input.style.height = `${input.scrollHeight}px`;
  }

  /** Asks to send the draft (when the element is ready); it is cleared unless `<ai-chat>` cancels the send. */
  send(origin: EventTarget): void {
    if (!this.#host.isConnected || !this.draft.trim()) return;
    const event = new ComposerSendEvent(this.draft);
    if (origin.dispatchEvent(event)) this.#setDraft('');
  }

  readonly handleInput = (event: Event) => this.#setDraft((event.currentTarget as HTMLTextAreaElement).value);

  readonly handleKeydown = (event: KeyboardEvent) => {
    // An IME composition's Enter picks a candidate; it must never send.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || this.#isComposing || event.keyCode === 229) return;
    event.preventDefault();
    this.send(event.currentTarget as EventTarget);
  };

  readonly handleCompositionStart = () => {
    this.#isComposing = true;
  };

  readonly handleCompositionEnd = () => {
    this.#isComposing = false;
  };

  readonly handleSendClick = (event: Event) => this.send(event.currentTarget as EventTarget);

  readonly handleStopClick = () => void this.#conversation.stop();

  readonly handleModelChange = (event: Event) => this.#sessions.selectModel((event.currentTarget as HTMLSelectElement).value);

  #setDraft(draft: string): void {
    this.draft = draft;
    const owner = this.#draftOf;
    if (owner && !owner.scope.signal.aborted) owner.scope.drafts.write(owner.sessionId, draft);
    this.#host.requestUpdate();
  }
}
