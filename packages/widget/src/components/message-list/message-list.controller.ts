import type { ReactiveController } from 'lit';
import type { ConversationController } from '../../controllers/conversation.controller.js';
import type { ComponentHost } from '../component-host.js';

const NEAR_EDGE_PX = 48;
const COPIED_MS = 1500;

/**
 * The message log's own behaviour: following the newest text while a reply streams, stopping as soon as the visitor
 * scrolls up (then offering "Jump to latest"), keeping the visitor's place when older messages are added above, paging
 * in older messages near the top, Retry, and the Copy buttons of code blocks.
 */
export class MessageListController implements ReactiveController {
  /** The visitor scrolled away from the newest message: the log no longer follows, "Jump to latest" shows. */
  isScrolledUp = false;

  readonly #host: ComponentHost;
  readonly #conversation: ConversationController;
  #previousScrollHeight = 0;
  #previousFirstMessageId: string | undefined;
  // Where the log was when the visitor started scrolling up (wheel or keys), until that scroll lands: a scroll event
  // still on its way from the last followed text must not switch following back on in the meantime.
  #scrollTopAtStop: number | null = null;
  // The log's box when it last followed ("width x height"): a scroll event that comes with a new size was caused by
  // the layout (a phone turned, the on-screen keyboard opened), not by the visitor. The observer follows size changes
  // that no update brings (a resize, an image or a highlighted code block laid out later).
  #boxSize = '';
  #observed: Element | undefined;
  readonly #resizes = globalThis.ResizeObserver && new ResizeObserver(() => this.#keepFollowing());

  constructor(host: ComponentHost, conversation: ConversationController) {
    this.#host = host;
    this.#conversation = conversation;
    host.addController(this);
  }

  get #log(): HTMLElement | null {
    return this.#host.renderRoot.querySelector<HTMLElement>('.messages');
  }

  /** Follows the newest message again (after a send, a session switch or "Jump to latest"). */
  follow(): void {
    this.#scrollTopAtStop = null;
    if (!this.isScrolledUp) return;
    this.isScrolledUp = false;
    this.#host.requestUpdate();
  }

  // Reading scrollHeight lays the page out at once, in the middle of an update: only done when the answer is used
  // (keeping the place of a visitor who scrolled up; following the newest message when there is one), so the first
  // renders of an empty conversation lay out once per frame, as the browser would anyway.
  hostUpdate(): void {
    this.#previousScrollHeight = this.isScrolledUp ? (this.#log?.scrollHeight ?? 0) : 0;
    this.#previousFirstMessageId = this.#conversation.history.messages[0]?.id;
  }

  hostUpdated(): void {
    const log = this.#log;
    const thread = log?.querySelector('.thread');
    if (log && thread && thread !== this.#observed) {
      this.#resizes?.disconnect();
      this.#resizes?.observe(log);
      this.#resizes?.observe(thread);
      this.#observed = thread;
    }
    if (!log || this.#conversation.history.messages.length === 0) return;
    if (!this.isScrolledUp) this.#keepFollowing();
    else if (this.#previousScrollHeight && log.scrollHeight > this.#previousScrollHeight && this.#hasGrownAbove()) {
      // Older messages (or the note that they are loading) were added above: keep the visitor's place.
      log.scrollTop += log.scrollHeight - this.#previousScrollHeight;
    }
  }

  hostDisconnected(): void {
    this.#resizes?.disconnect();
    this.#observed = undefined;
  }

  #keepFollowing(): void {
    const log = this.#log;
    if (!log || this.isScrolledUp) return;
    this.#boxSize = `${log.clientWidth}x${log.clientHeight}`;
    log.scrollTop = log.scrollHeight;
  }

  /** Whether the last update added content above the messages shown (not text at the bottom of a streaming reply). */
  #hasGrownAbove(): boolean {
    const { messages, isLoadingOlder } = this.#conversation.history;
    return messages[0]?.id !== this.#previousFirstMessageId || isLoadingOlder;
  }

  readonly handleScroll = () => {
    const log = this.#log;
    if (!log) return;
    // The layout moved the text, not the visitor: keep following the newest message.
    if (!this.isScrolledUp && `${log.clientWidth}x${log.clientHeight}` !== this.#boxSize) return this.#keepFollowing();
    if (this.#scrollTopAtStop !== null) {
      // The visitor's scroll up has not landed yet: this event still tells of where the log was followed to.
      if (log.scrollTop >= this.#scrollTopAtStop) return;
      this.#scrollTopAtStop = null;
    }
    const isScrolledUp = log.scrollHeight - log.scrollTop - log.clientHeight > NEAR_EDGE_PX;
    if (isScrolledUp !== this.isScrolledUp) {
      this.isScrolledUp = isScrolledUp;
      this.#host.requestUpdate();
    }
    if (log.scrollTop < NEAR_EDGE_PX && this.#conversation.history.hasMore) void this.#conversation.loadOlder();
  };

  // A visitor who starts scrolling up stops following at once: otherwise the next streamed text, arriving before the
  // scroll event, pulls the view back down and fights the wheel or the keys.
  readonly handleWheel = (event: WheelEvent) => {
    if (event.deltaY < 0) this.#stopFollowing();
    else if (event.deltaY > 0) this.#scrollTopAtStop = null;
  };

  readonly handleKeydown = (event: KeyboardEvent) => {
    if (['ArrowUp', 'PageUp', 'Home'].includes(event.key)) this.#stopFollowing();
  };

  /** Called once a code block was copied (the element announces it). */
  onCopy?: () => void;

  readonly handleJump = () => this.follow();

  readonly handleRetry = (event: Event) => {
    this.follow();
    void this.#conversation.retry((event.currentTarget as HTMLElement).dataset.id ?? '');
  };

  readonly handleClick = (event: Event) => {
    const button = (event.target as HTMLElement).closest?.('button.copy');
    const code = button?.closest('.code-block')?.querySelector('code');
    if (!button || !code) return;
    // Only a class changes: the label nodes belong to Lit, which keeps patching them while the reply streams.
    void navigator.clipboard?.writeText(code.textContent ?? '').then(() => {
      button.classList.add('copied');
      this.onCopy?.();
      setTimeout(() => button.classList.remove('copied'), COPIED_MS);
    }, () => undefined);
  };

  #stopFollowing(): void {
    const log = this.#log;
    if (log && log.scrollHeight > log.clientHeight && log.scrollTop > 0 && !this.isScrolledUp) {
      this.isScrolledUp = true;
      this.#scrollTopAtStop = log.scrollTop;
      this.#host.requestUpdate();
    }
  }
}
