/**
 * Every text the element shows or announces; override any of them through the `strings` property. Texts may hold
 * `{name}` placeholders and ICU plural choices (`{count, plural, one {# message} other {# messages}}`), filled through
 * `Intl` in the element's locale. Each built-in language (`i18n/locales/<tag>.ts`) is typed as the whole of it: a new
 * key needs a translation in every one of them.
 */
export interface AiChatStrings {
  heading: string;
  placeholder: string;
  newSession: string;
  untitledSession: string;
  sessionsLabel: string;
  noSessions: string;
  loadMoreSessions: string;
  rename: string;
  renameLabel: string;
  delete: string;
  confirmDelete: string;
  cancel: string;
  modelLabel: string;
  send: string;
  stop: string;
  retry: string;
  copy: string;
  copied: string;
  open: string;
  close: string;
  jumpToLatest: string;
  loadingOlder: string;
  emptyTitle: string;
  emptyBody: string;
  stopped: string;
  failed: string;
  connectionError: string;
  tryAgain: string;
  dismiss: string;
  thinking: string;
  you: string;
  /** `{count}`: the number of messages of a session; a plural choice (Arabic has six forms, Polish four). */
  messageCount: string;
  /** The count for exactly one message; kept for hosts that set it (the plural `messageCount` covers it). */
  messageCountOne: string;
  imageBlocked: string;
  /** The accessible name of the message log. */
  messagesLabel: string;

  // What a visitor reads when something fails, one sentence per kind of failure (see `describeError`).
  errorRateLimited: string;
  /** `{seconds}`: how long to wait (the server's `Retry-After`); a plural choice. */
  errorRateLimitedWait: string;
  errorTooLong: string;
  errorOffline: string;
  errorTimeout: string;
  errorServer: string;
  errorUnavailable: string;
  errorProvider: string;
  errorProviderTimeout: string;
  errorProviderAuth: string;
  errorInterrupted: string;
  errorNotFound: string;
  errorUnauthorized: string;
  errorConflict: string;
  errorInvalid: string;
  errorUnknown: string;

  // What the polite live region says (screen readers), once each.
  /** `{text}`: the whole reply, said once it is complete. */
  announceReply: string;
  announceWriting: string;
  announceStopped: string;
  announceRetrying: string;
  announceFeedbackUp: string;
  announceFeedbackDown: string;
  announceFeedbackCleared: string;
  /** `{title}`: the conversation's title. */
  announceSessionOpened: string;
  announceNewSession: string;
  announceSessionDeleted: string;
  /** The composer's counter near the limit; `{count}` is the number of characters left. */
  charactersLeft: string;
  /** The composer's counter over the limit; `{count}` is the number of characters to remove. */
  charactersOver: string;
  /** The group of buttons under a message. */
  messageActions: string;
  regenerate: string;
  edit: string;
  /** The label of the box that edits a message. */
  editLabel: string;
  previousVersion: string;
  nextVersion: string;
  /** The version shown, as read by screen readers; `{index}` and `{count}` are replaced by numbers. */
  versionLabel: string;
  goodResponse: string;
  badResponse: string;
  /** The label of the optional reason field shown after a rating. */
  feedbackReason: string;
  sendFeedback: string;
  /** The label of the starter prompts shown in an empty conversation. */
  startersLabel: string;
  /** The label of the search field in the sessions dropdown. */
  searchLabel: string;
  noSearchResults: string;
}

/** The English texts: the element's built-in language, and the fallback for any other (`i18n/locales/en.ts`). */
export const DEFAULT_STRINGS: AiChatStrings = {
  heading: 'Assistant',
  placeholder: 'Message the assistant…',
  newSession: 'New chat',
  untitledSession: 'New chat',
  sessionsLabel: 'Conversations',
  noSessions: 'No conversations yet. Say hello to start one.',
  loadMoreSessions: 'Load more',
  rename: 'Rename',
  renameLabel: 'Conversation title',
  delete: 'Delete',
  confirmDelete: 'Delete this conversation?',
  cancel: 'Cancel',
  modelLabel: 'Model',
  send: 'Send',
  stop: 'Stop',
  retry: 'Retry',
  copy: 'Copy',
  copied: 'Copied',
  open: 'Open chat',
  close: 'Close chat',
  jumpToLatest: 'Jump to latest',
  loadingOlder: 'Loading earlier messages…',
  emptyTitle: 'How can I help?',
  emptyBody: 'Ask anything. Your conversations are saved, so you can pick them up later.',
  stopped: 'Stopped',
  failed: 'This reply failed',
  connectionError: 'Could not reach the chat service.',
  tryAgain: 'Try again',
  dismiss: 'Dismiss',
  thinking: 'Thinking…',
  you: 'You',
  messageCount: '{count, plural, one {# message} other {# messages}}',
  messageCountOne: '1 message',
  imageBlocked: 'image',
  messagesLabel: 'Messages',
  errorRateLimited: 'You are sending messages too quickly. Wait a moment and try again.',
  errorRateLimitedWait: '{seconds, plural, one {You are sending messages too quickly. Try again in # second.} other {You are sending messages too quickly. Try again in # seconds.}}',
  errorTooLong: 'Your message is too long. Shorten it and try again.',
  errorOffline: 'You are offline. Check your connection and try again.',
  errorTimeout: 'The chat service took too long to answer. Try again.',
  errorServer: 'Something went wrong on our side. Try again in a moment.',
  errorUnavailable: 'The chat service is unavailable right now. Try again in a moment.',
  errorProvider: 'The assistant could not answer right now. Try again.',
  errorProviderTimeout: 'The assistant took too long to answer. Try again.',
  errorProviderAuth: 'The assistant is not available right now.',
  errorInterrupted: 'This reply was interrupted before it was finished.',
  errorNotFound: 'This conversation no longer exists.',
  errorUnauthorized: 'Your session has expired. Reload the page to continue.',
  errorConflict: 'A reply is already being written in this conversation. Wait for it to finish.',
  errorInvalid: 'This message could not be sent.',
  errorUnknown: 'Something went wrong. Try again.',
  announceReply: 'Reply: {text}',
  announceWriting: 'Writing a reply…',
  announceStopped: 'Reply stopped.',
  announceRetrying: 'Writing a new reply…',
  announceFeedbackUp: 'Marked as helpful.',
  announceFeedbackDown: 'Marked as not helpful.',
  announceFeedbackCleared: 'Feedback removed.',
  announceSessionOpened: 'Conversation opened: {title}',
  announceNewSession: 'New conversation started.',
  announceSessionDeleted: 'Conversation deleted.',
  charactersLeft: '{count} characters left',
  charactersOver: '{count} characters too many',
  messageActions: 'Message actions',
  regenerate: 'Regenerate',
  edit: 'Edit',
  editLabel: 'Edit your message',
  previousVersion: 'Previous version',
  nextVersion: 'Next version',
  versionLabel: 'Version {index} of {count}',
  goodResponse: 'Good response',
  badResponse: 'Bad response',
  feedbackReason: 'Tell us more (optional)',
  sendFeedback: 'Send feedback',
  startersLabel: 'Suggestions',
  searchLabel: 'Search conversations',
  noSearchResults: 'No conversations found',
};
