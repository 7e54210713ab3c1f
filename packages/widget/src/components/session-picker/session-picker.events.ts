// Events of the session picker. They bubble inside the shadow root only (not composed), so `<ai-chat>` hears them
// on its panel and the host page never does; the public events are in src/events.ts.

/** The visitor picked a session in the dropdown (its messages are loading). */
export class SessionPickEvent extends Event {
  static readonly eventName = 'session-pick';
  constructor(readonly sessionId: string) {
    super(SessionPickEvent.eventName, { bubbles: true });
  }
}

/** The session the visitor asked for with "New" exists and is active: the composer can take focus. */
export class SessionNewEvent extends Event {
  static readonly eventName = 'session-new';
  constructor() {
    super(SessionNewEvent.eventName, { bubbles: true });
  }
}
