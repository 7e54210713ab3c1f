// Events of the composer. They bubble inside the shadow root only (not composed): `<ai-chat>` hears them on its
// panel and turns them into its public API (src/events.ts); the host page never sees them.

/** The visitor asked to send the draft. `<ai-chat>` cancels it when nothing is sent; the draft is kept then. */
export class ComposerSendEvent extends Event {
  static readonly eventName = 'composer-send';
  constructor(readonly content: string) {
    super(ComposerSendEvent.eventName, { bubbles: true, cancelable: true });
  }
}
