/** Every text the element shows or announces; override any of them through the `strings` property. */
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
  /** `{count}` is replaced by a number formatted in the element's locale. */
  messageCount: string;
  messageCountOne: string;
  imageBlocked: string;
  /** The label of the message log. */
  messagesLabel: string;
  /** The composer's counter near the limit; `{count}` is the number of characters left. */
  charactersLeft: string;
  /** The composer's counter over the limit; `{count}` is the number of characters to remove. */
  charactersOver: string;
  /** `{max}` is the longest message the server accepts. */
  errorTooLong: string;
  errorRateLimited: string;
  errorOffline: string;
  errorServer: string;
  errorProvider: string;
  errorInterrupted: string;
  errorNotFound: string;
  errorSignedOut: string;
  errorBusy: string;
  errorGeneric: string;
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

/** The English texts the element uses when the host page gives none. */
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
  messageCount: '{count} messages',
  messageCountOne: '1 message',
  imageBlocked: 'image',
  messagesLabel: 'Messages',
  charactersLeft: '{count} characters left',
  charactersOver: '{count} characters too many',
  errorTooLong: 'This message is too long to send. Shorten it to {max} characters or fewer; your text is kept.',
  errorRateLimited: 'You are sending messages too quickly. Wait a moment, then try again.',
  errorOffline: 'Could not reach the chat service. Check your connection, then try again.',
  errorServer: 'Something went wrong on our side. Try again in a moment.',
  errorProvider: 'The AI model could not answer. Try again, or pick another model.',
  errorInterrupted: 'This reply was interrupted before it was finished.',
  errorNotFound: 'This conversation no longer exists.',
  errorSignedOut: 'You were signed out. Reload the page to go on.',
  errorBusy: 'A reply is still being written in this conversation. Wait for it, then try again.',
  errorGeneric: 'Something went wrong. Try again.',
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
