import { DEFAULT_STRINGS } from '../../strings.js';
import type { Strings } from '../catalog.js';

/** English, the element's built-in language and the fallback for any other. */
export const en: Strings = {
  ...DEFAULT_STRINGS,
  messagesLabel: 'Messages',
  messageCount: '{count, plural, one {# message} other {# messages}}',
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
};

export default en;
