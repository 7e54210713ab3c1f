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
  feedbackThanks: string;
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
  feedbackThanks: 'Thanks for your feedback',
};
