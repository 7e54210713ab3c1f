import { PREVIEW_LENGTH } from '@ai-chat/protocol';

/** The longest title taken from a first message. */
export const TITLE_LENGTH = 60;

/** Collapses whitespace and trims a text to at most `max` characters at a word boundary, with an ellipsis. */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s.,;:!?-]+$/, '')}…`;
}

/** A new session's title from its first message: one line, at most 60 characters, cut between words. */
export function titleFromMessage(content: string): string {
  return shorten(stripMarkdown(content), TITLE_LENGTH) || 'New chat';
}

/** The one-line preview of a message that the session list shows (at most 160 characters). */
export function previewOf(content: string): string {
  return shorten(stripMarkdown(content), PREVIEW_LENGTH);
}

function stripMarkdown(text: string): string {
  return text
    .replace(/```[\s\S]*?```/g, ' [code] ')
    .replace(/[`*_>#~]+/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
}
